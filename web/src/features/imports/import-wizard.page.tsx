import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, get, post, postRaw, uploadRaw } from '../../api/client.js';
import type {
  ImportDefaults,
  ImportFormat,
  ImportMapping,
  ImportParseEvent,
  ImportPreview,
  SchemaDescription,
} from '../../api/types.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { Field, FormErrorSummary } from '../../ui/form.js';
import { formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page-header.js';
import { ProgressBar } from '../../ui/progress.js';
import { EmptyState, ErrorState, Spinner } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { loadSchemata } from '../records/records-data.js';
import { ImportDefaultsForm, INITIAL_DEFAULTS } from './import-defaults.js';
import { asciiJson, csvPreview, detectFormat, PREVIEW_BYTES } from './import-format.js';
import { ImportProgress } from './import-progress.js';

const FORMATS: readonly ImportFormat[] = ['ftm', 'stix', 'misp', 'csv'];
const STEPS = ['file', 'preview', 'defaults', 'upload'] as const;
type Step = (typeof STEPS)[number];

interface Chosen {
  file: File;
  head: string;
  truncated: boolean;
}

interface MappingDraft {
  savedId: string | null;
  name: string;
  schema: string;
  idColumn: string;
  columns: Record<string, string>;
}

const EMPTY_MAPPING: MappingDraft = { savedId: null, name: '', schema: '', idColumn: '', columns: {} };

/** The import wizard: file and format, preview (or CSV column mapping), defaults, then upload and progress. */
export function ImportWizardPage() {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>('file');
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [mapping, setMapping] = useState<MappingDraft>(EMPTY_MAPPING);
  const [defaults, setDefaults] = useState<ImportDefaults>(INITIAL_DEFAULTS);
  const [defaultErrors, setDefaultErrors] = useState<Record<string, string | undefined>>({});
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const [importId, setImportId] = useState<string | null>(null);

  const stepLabels: Record<Step, string> = {
    file: t('imports.step.file'),
    preview: format === 'csv' ? t('imports.step.mapping') : t('imports.step.preview'),
    defaults: t('imports.step.defaults'),
    upload: t('imports.step.upload'),
  };
  const index = STEPS.indexOf(step);

  async function choose(file: File | undefined) {
    if (!file) {
      setChosen(null);
      return;
    }
    const slice = file.slice(0, PREVIEW_BYTES);
    const head = await slice.text();
    setChosen({ file, head, truncated: file.size > PREVIEW_BYTES });
    setFormat(detectFormat(file.name, head) ?? '');
    setMapping({ ...EMPTY_MAPPING, name: file.name.replace(/\.[^.]+$/, '') });
  }

  function checkDefaults(): boolean {
    const errors: Record<string, string | undefined> = {};
    if (defaults.crimeAreas.length === 0) errors.crimeAreas = t('records.atLeastOne');
    if (defaults.purposes.length === 0) errors.purposes = t('records.atLeastOne');
    if (defaults.codes.includes('H3') && !defaults.h3Text?.trim()) errors.h3Text = t('records.h3Required');
    setDefaultErrors(errors);
    return Object.keys(errors).length === 0;
  }

  async function upload() {
    if (!chosen || !format) return;
    setUploadError(null);
    setSent({ loaded: 0, total: chosen.file.size });
    try {
      let mappingId: string | undefined;
      if (format === 'csv') {
        mappingId = mapping.savedId ?? (await saveMapping(mapping)).id;
      }
      const body: ImportDefaults = {
        ...defaults,
        ...(defaults.codes.includes('H3') ? { h3Text: defaults.h3Text?.trim() } : { h3Text: undefined }),
      };
      const answer = await uploadRaw<{ id: string }>('/imports', chosen.file, {
        query: { format, mapping: mappingId },
        headers: { 'x-entente-import-defaults': asciiJson(body) },
        onProgress: (loaded, total) => setSent({ loaded, total }),
      });
      setImportId(answer.id);
    } catch (err) {
      setSent(null);
      setUploadError(err instanceof ApiError ? err : new ApiError(0, {}));
    }
  }

  const canContinue =
    step === 'file'
      ? Boolean(chosen && format)
      : step === 'preview' && format === 'csv'
        ? Boolean(
            mapping.schema &&
              mapping.idColumn &&
              Object.values(mapping.columns).some(Boolean) &&
              (mapping.savedId || mapping.name.trim()),
          )
        : true;

  function next() {
    if (step === 'defaults') {
      if (!checkDefaults()) return;
      setStep('upload');
      void upload();
      return;
    }
    const following = STEPS[index + 1];
    if (following) setStep(following);
  }

  return (
    <div className="page">
      <Breadcrumbs trail={[{ to: '/imports', label: t('imports.title') }]} />
      <PageHeader title={t('imports.newTitle')} intro={t('imports.newIntro')} />
      <ol className="stepper" aria-label={t('imports.stepsLabel')}>
        {STEPS.map((s, i) => (
          <li
            key={s}
            className={`stepper__step${i === index ? ' stepper__step--current' : ''}${i < index ? ' stepper__step--done' : ''}`}
            aria-current={i === index ? 'step' : undefined}
          >
            <span className="stepper__n" aria-hidden="true">
              {i + 1}
            </span>
            <span>{stepLabels[s]}</span>
          </li>
        ))}
      </ol>
      <section className="card stack" aria-labelledby="wizard-step-title">
        <h2 id="wizard-step-title">
          {t('imports.stepOf', { n: index + 1, total: STEPS.length })}: {stepLabels[step]}
        </h2>
        {step === 'file' && <FileStep chosen={chosen} format={format} onFile={choose} onFormat={setFormat} />}
        {step === 'preview' && chosen && format === 'csv' && (
          <CsvMappingStep chosen={chosen} mapping={mapping} onChange={setMapping} />
        )}
        {step === 'preview' && chosen && format && format !== 'csv' && (
          <PreviewStep chosen={chosen} format={format} />
        )}
        {step === 'defaults' && (
          <ImportDefaultsForm value={defaults} onChange={setDefaults} errors={defaultErrors} />
        )}
        {step === 'upload' && (
          <div className="stack">
            {uploadError && (
              <>
                <FormErrorSummary error={uploadError} />
                <div className="button-row">
                  <button type="button" className="btn" onClick={() => setStep('defaults')}>
                    {t('common.back')}
                  </button>
                  <button type="button" className="btn btn--primary" onClick={() => void upload()}>
                    {t('common.retry')}
                  </button>
                </div>
              </>
            )}
            {!importId && sent && (
              <div className="stack">
                <p>{t('imports.uploading', { name: chosen?.file.name ?? '' })}</p>
                <ProgressBar
                  percent={sent.total ? Math.round((sent.loaded / sent.total) * 100) : 0}
                  label={t('imports.uploadLabel')}
                />
              </div>
            )}
            {importId && (
              <>
                <ImportProgress importId={importId} />
                <div className="button-row">
                  <Link to="/imports" className="btn">
                    {t('imports.allImports')}
                  </Link>
                  <Link to="/search" className="btn">
                    {t('imports.searchRecords')}
                  </Link>
                </div>
              </>
            )}
          </div>
        )}
        {step !== 'upload' && (
          <div className="button-row button-row--end">
            {index === 0 ? (
              <Link to="/imports" className="btn">
                {t('common.cancel')}
              </Link>
            ) : (
              <button type="button" className="btn" onClick={() => setStep(STEPS[index - 1] ?? 'file')}>
                {t('common.back')}
              </button>
            )}
            <button type="button" className="btn btn--primary" disabled={!canContinue} onClick={next}>
              {step === 'defaults' ? t('imports.startImport') : t('common.next')}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}

async function saveMapping(m: MappingDraft): Promise<ImportMapping> {
  const columns = Object.fromEntries(Object.entries(m.columns).filter(([, prop]) => prop));
  return post<ImportMapping>('/import-mappings', {
    name: m.name.trim(),
    schema: m.schema,
    idColumn: m.idColumn,
    columns,
  });
}

function FileStep({
  chosen,
  format,
  onFile,
  onFormat,
}: {
  chosen: Chosen | null;
  format: ImportFormat | '';
  onFile: (file: File | undefined) => Promise<void>;
  onFormat: (f: ImportFormat | '') => void;
}) {
  const { t } = useTranslation();
  const detected = chosen ? detectFormat(chosen.file.name, chosen.head) : null;
  return (
    <div className="stack">
      <Field label={t('imports.file')} hint={t('imports.fileHint')} required>
        {({ id, describedBy }) => (
          <input
            id={id}
            type="file"
            aria-describedby={describedBy}
            accept=".jsonl,.ndjson,.json,.csv,.tsv,application/json,text/csv"
            onChange={(e) => void onFile(e.target.files?.[0])}
          />
        )}
      </Field>
      {chosen && (
        <p className="muted small">
          {chosen.file.name} · {t('imports.size', { n: formatNumber(chosen.file.size) })}
        </p>
      )}
      <Field
        label={t('imports.format')}
        hint={
          detected
            ? t('imports.detected', { format: t(`imports.formatName.${detected}`) })
            : t('imports.formatHint')
        }
        required
      >
        {({ id, describedBy }) => (
          <select
            id={id}
            aria-describedby={describedBy}
            value={format}
            onChange={(e) => onFormat(e.target.value as ImportFormat | '')}
          >
            <option value="">—</option>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`imports.formatName.${f}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

/** The first parsed entities of the file and its first rejected or skipped rows, from the server's parser. */
function PreviewStep({ chosen, format }: { chosen: Chosen; format: ImportFormat }) {
  const preview = useApi(`preview-${chosen.file.name}-${chosen.file.size}-${format}`, () =>
    postRaw<ImportPreview>('/imports/preview', chosen.file.slice(0, PREVIEW_BYTES), { format }),
  );
  if (preview.error) return <ErrorState error={preview.error} onRetry={preview.reload} />;
  if (!preview.data) return <Spinner block />;
  return <ParseEvents events={preview.data.items} />;
}

function entityName(properties: Record<string, string[]>): string {
  return properties.name?.[0] ?? properties.title?.[0] ?? properties.summary?.[0] ?? '';
}

function ParseEvents({ events }: { events: ImportParseEvent[] }) {
  const { t } = useTranslation();
  const entities = events.filter((e) => e.type === 'entity');
  const problems = events.filter((e) => e.type !== 'entity');
  if (events.length === 0) return <EmptyState>{t('imports.previewEmpty')}</EmptyState>;
  return (
    <div className="stack" data-testid="import-preview">
      <p className="muted">
        {t('imports.previewIntro', { entities: entities.length, problems: problems.length })}
      </p>
      {entities.length > 0 && (
        <div className="table-wrap">
          <table className="table table--dense">
            <caption className="visually-hidden">{t('imports.previewEntities')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('imports.lineOrIndex')}</th>
                <th scope="col">{t('records.schema')}</th>
                <th scope="col">{t('records.caption')}</th>
                <th scope="col">{t('imports.externalId')}</th>
              </tr>
            </thead>
            <tbody>
              {entities.slice(0, 20).map((e) =>
                e.type === 'entity' ? (
                  <tr key={`e-${e.index}`}>
                    <td>{e.index}</td>
                    <td>{e.entity.schema}</td>
                    <td dir="auto">{entityName(e.entity.properties) || '—'}</td>
                    <td className="small" dir="ltr">
                      {e.entity.externalId}
                    </td>
                  </tr>
                ) : null,
              )}
            </tbody>
          </table>
        </div>
      )}
      {problems.length > 0 && (
        <>
          <h3>{t('imports.previewProblems')}</h3>
          <ul className="problems" data-testid="preview-problems">
            {problems.slice(0, 20).map((e) => (
              <li key={`p-${e.index}`}>
                <strong>{t('imports.line', { n: e.index })}</strong>{' '}
                <span className={`chip chip--${e.type === 'rejected' ? 'bad' : 'neutral'}`}>
                  {e.type === 'rejected' ? t('imports.rejectedOne') : t('imports.skippedOne')}
                </span>{' '}
                <span dir="auto">{e.type === 'skipped' ? `${e.objectType}: ${e.reason}` : e.reason}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The CSV column mapping: schema, id column, a property per column, with the first rows as they map. */
function CsvMappingStep({
  chosen,
  mapping,
  onChange,
}: {
  chosen: Chosen;
  mapping: MappingDraft;
  onChange: (m: MappingDraft) => void;
}) {
  const { t } = useTranslation();
  const schemata = useApi('schemata', () => loadSchemata());
  const saved = useApi('import-mappings', (signal) =>
    get<{ items: ImportMapping[] } | ImportMapping[]>('/import-mappings', undefined, signal).then((r) =>
      Array.isArray(r) ? r : r.items,
    ),
  );
  // The server's column list wins (it parses exactly as the import will); the local one shows at once.
  const server = useApi(`csv-columns-${chosen.file.name}-${chosen.file.size}`, () =>
    postRaw<ImportPreview>('/imports/preview', chosen.file.slice(0, PREVIEW_BYTES), { format: 'csv' }),
  );
  const local = useMemo(() => csvPreview(chosen.head, 5, chosen.truncated), [chosen]);
  const columns = server.data?.columns?.length ? server.data.columns : local.columns;
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const ids = useId();

  const schemaList = useMemo(
    () => [...(schemata.data ?? [])].filter((s) => !s.isEdge).sort((a, b) => a.label.localeCompare(b.label)),
    [schemata.data],
  );
  const schema: SchemaDescription | undefined = schemata.data?.find((s) => s.name === mapping.schema);
  const edit = (changes: Partial<MappingDraft>) => {
    setJustSaved(false);
    onChange({ ...mapping, ...changes, savedId: null });
  };

  // A column named like a property maps to it by itself, the first time a schema is chosen.
  useEffect(() => {
    if (!schema || Object.keys(mapping.columns).length > 0) return;
    const auto: Record<string, string> = {};
    for (const c of columns) {
      const match = schema.properties.find(
        (p) => p.name.toLowerCase() === c.toLowerCase() || p.label.toLowerCase() === c.toLowerCase(),
      );
      if (match) auto[c] = match.name;
    }
    if (Object.keys(auto).length) onChange({ ...mapping, columns: auto });
  }, [schema, columns, mapping, onChange]);

  async function save() {
    setSaving(true);
    setSaveError(null);
    try {
      const created = await saveMapping(mapping);
      onChange({ ...mapping, savedId: created.id });
      setJustSaved(true);
      saved.reload();
    } catch (err) {
      setSaveError(err instanceof ApiError ? err : new ApiError(0, {}));
    } finally {
      setSaving(false);
    }
  }

  if (schemata.error) return <ErrorState error={schemata.error} onRetry={schemata.reload} />;
  const propOptions = schema?.properties ?? [];
  let content: ReactNode = null;
  if (columns.length === 0) content = <EmptyState>{t('imports.noColumns')}</EmptyState>;
  else
    content = (
      <>
        <div className="table-wrap">
          <table className="table table--dense mapping-table" data-testid="csv-mapping">
            <caption className="visually-hidden">{t('imports.mappingCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('imports.column')}</th>
                <th scope="col">{t('imports.property')}</th>
                <th scope="col">{t('imports.sample')}</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((c, i) => (
                <tr key={c}>
                  <th scope="row" dir="auto">
                    {c}
                  </th>
                  <td>
                    <label className="visually-hidden" htmlFor={`${ids}-col-${i}`}>
                      {t('imports.propertyFor', { column: c })}
                    </label>
                    <select
                      id={`${ids}-col-${i}`}
                      value={mapping.columns[c] ?? ''}
                      disabled={!schema}
                      onChange={(e) => edit({ columns: { ...mapping.columns, [c]: e.target.value } })}
                    >
                      <option value="">{t('imports.ignoreColumn')}</option>
                      {propOptions.map((p) => (
                        <option key={p.name} value={p.name}>
                          {p.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="small muted" dir="auto">
                    {local.rows
                      .map((r) => r[i] ?? '')
                      .filter(Boolean)
                      .slice(0, 3)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {schema && local.rows.length > 0 && (
          <div className="table-wrap">
            <table className="table table--dense" data-testid="csv-preview">
              <caption className="caption-start">{t('imports.previewRows')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('imports.idColumn')}</th>
                  {columns
                    .filter((c) => mapping.columns[c])
                    .map((c) => (
                      <th scope="col" key={c}>
                        {propOptions.find((p) => p.name === mapping.columns[c])?.label ?? mapping.columns[c]}
                      </th>
                    ))}
                </tr>
              </thead>
              <tbody>
                {local.rows.map((r, ri) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: preview rows are positional.
                  <tr key={ri}>
                    <td dir="ltr">{mapping.idColumn ? (r[columns.indexOf(mapping.idColumn)] ?? '') : '—'}</td>
                    {columns
                      .map((c, ci) => [c, ci] as const)
                      .filter(([c]) => mapping.columns[c])
                      .map(([c, ci]) => (
                        <td key={c} dir="auto">
                          {r[ci] ?? ''}
                        </td>
                      ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>
    );

  return (
    <div className="stack">
      {(saved.data ?? []).length > 0 && (
        <Field label={t('imports.savedMapping')} hint={t('imports.savedMappingHint')}>
          {({ id, describedBy }) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={mapping.savedId ?? ''}
              onChange={(e) => {
                const m = saved.data?.find((x) => x.id === e.target.value);
                if (m)
                  onChange({
                    savedId: m.id,
                    name: m.name,
                    schema: m.schema,
                    idColumn: m.idColumn,
                    columns: m.columns,
                  });
                else onChange({ ...mapping, savedId: null });
              }}
            >
              <option value="">—</option>
              {saved.data?.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <div className="form-row">
        <Field label={t('imports.schema')} required>
          {({ id }) => (
            <select
              id={id}
              value={mapping.schema}
              onChange={(e) => edit({ schema: e.target.value, columns: {} })}
            >
              <option value="">—</option>
              {schemaList.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('imports.idColumn')} hint={t('imports.idColumnHint')} required>
          {({ id, describedBy }) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={mapping.idColumn}
              onChange={(e) => edit({ idColumn: e.target.value })}
            >
              <option value="">—</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {content}
      <div className="form-row form-row--end">
        <Field label={t('imports.mappingName')} required>
          {({ id }) => (
            <input id={id} value={mapping.name} onChange={(e) => edit({ name: e.target.value })} />
          )}
        </Field>
        <button
          type="button"
          className="btn"
          disabled={
            saving || !mapping.schema || !mapping.idColumn || !mapping.name.trim() || Boolean(mapping.savedId)
          }
          onClick={() => void save()}
        >
          {saving ? t('common.saving') : t('imports.saveMapping')}
        </button>
      </div>
      {justSaved && (
        <p className="notice notice--ok" role="status">
          {t('imports.mappingSaved')}
        </p>
      )}
      <FormErrorSummary error={saveError} />
    </div>
  );
}
