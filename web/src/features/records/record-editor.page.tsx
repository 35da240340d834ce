import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import {
  CRIME_AREAS,
  type CrimeArea,
  EVALUATION_GRADES,
  EVALUATION_SCHEMES,
  type EvaluationScheme,
  HANDLING_CODES,
  type HandlingCode,
  PURPOSES,
  type Purpose,
  SUBJECT_CATEGORIES,
  type SubjectCategory,
  TLP_LABELS,
  type TlpLabel,
} from '../../../../src/domain/vocabulary.js';
import { ApiError, get, patch, post } from '../../api/client.js';
import type { IntelRecord, RecordInput, SchemaDescription } from '../../api/types.js';
import { useMe } from '../../auth/session.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { TlpChip } from '../../ui/chips.js';
import {
  CheckboxGroup,
  DateField,
  Field,
  FormActions,
  FormErrorSummary,
  useFormErrors,
  VocabOptions,
} from '../../ui/form.js';
import { fromDateInput } from '../../ui/format.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { OrgPicker } from '../../ui/org-picker.js';
import { PageHeader } from '../../ui/page-header.js';
import { ErrorState, Spinner } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { handlingMeaning, tLoose, tlpMeaning, vocabLabel } from '../../ui/vocab.js';
import { loadOrganizations, loadSchemata } from './records-data.js';

interface Draft {
  schema: string;
  properties: Record<string, string[]>;
  tlp: TlpLabel;
  codes: HandlingCode[];
  h3Text: string;
  scheme: EvaluationScheme;
  source: string;
  information: string;
  crimeAreas: CrimeArea[];
  purposes: Purpose[];
  subjectCategory: SubjectCategory | '';
  recipients: string[];
  expiresAt: string;
}

const EMPTY: Draft = {
  schema: '',
  properties: {},
  tlp: 'TLP:AMBER',
  codes: ['H0'],
  h3Text: '',
  scheme: 'eu4x4',
  source: 'B',
  information: '2',
  crimeAreas: [],
  purposes: ['criminal_investigation'],
  subjectCategory: '',
  recipients: [],
  expiresAt: '',
};

function fromRecord(r: IntelRecord): Draft {
  return {
    schema: r.schema,
    properties: r.properties,
    tlp: r.handling.tlp as TlpLabel,
    codes: r.handling.codes as HandlingCode[],
    h3Text: r.handling.h3Text ?? '',
    scheme: r.evaluation.scheme as EvaluationScheme,
    source: r.evaluation.source,
    information: r.evaluation.information,
    crimeAreas: r.crimeAreas as CrimeArea[],
    purposes: r.purposes as Purpose[],
    subjectCategory: (r.subjectCategory ?? '') as SubjectCategory | '',
    recipients: r.recipients.map((o) => o.id),
    expiresAt: '',
  };
}

/** Keeps non-empty values only, trimmed; properties with no value are left out. */
function cleanProperties(props: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(props)) {
    const kept = values.map((v) => v.trim()).filter(Boolean);
    if (kept.length) out[name] = kept;
  }
  return out;
}

/** Creates a record, or edits one the user's organization owns (`/records/:id/edit`). */
export function RecordEditorPage() {
  const { id } = useParams();
  const existing = useApi(id ?? null, (signal) =>
    get<IntelRecord>(`/records/${encodeURIComponent(id ?? '')}`, undefined, signal),
  );
  const schemata = useApi('schemata', () => loadSchemata());
  const orgs = useApi('orgs', () => loadOrganizations());
  const { t } = useTranslation();

  if (existing.error?.status === 404 || existing.error?.status === 400)
    return <NotFoundPanel title={t('records.notFound')} text={t('records.notFoundDetail')} back="/records" />;
  const error = existing.error ?? schemata.error;
  if (error)
    return (
      <ErrorState error={error} onRetry={() => (existing.error ? existing.reload() : schemata.reload())} />
    );
  if ((id && !existing.data) || !schemata.data) return <Spinner block />;
  return <RecordForm record={existing.data} schemata={schemata.data} orgs={orgs.data ?? []} />;
}

function RecordForm({
  record,
  schemata,
  orgs,
}: {
  record: IntelRecord | undefined;
  schemata: SchemaDescription[];
  orgs: Awaited<ReturnType<typeof loadOrganizations>>;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => (record ? fromRecord(record) : EMPTY));
  const [extraProps, setExtraProps] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const errors = useFormErrors();
  const update = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const sorted = useMemo(() => [...schemata].sort((a, b) => a.label.localeCompare(b.label)), [schemata]);
  const schema = schemata.find((s) => s.name === draft.schema);
  const mainProps = useMemo(() => {
    if (!schema) return [];
    const names = new Set([
      ...schema.required,
      ...schema.featured,
      ...Object.keys(draft.properties),
      ...extraProps,
    ]);
    return schema.properties.filter((p) => names.has(p.name));
  }, [schema, draft.properties, extraProps]);
  const otherProps = schema ? schema.properties.filter((p) => !mainProps.includes(p)) : [];
  const grades = EVALUATION_GRADES[draft.scheme];

  // A scheme change keeps the grades only where the new scheme has them.
  useEffect(() => {
    setDraft((d) => ({
      ...d,
      source: grades.source.includes(d.source) ? d.source : (grades.source[0] ?? 'A'),
      information: grades.information.includes(d.information)
        ? d.information
        : (grades.information[0] ?? '1'),
    }));
  }, [grades]);

  function setValue(prop: string, index: number, value: string) {
    setDraft((d) => {
      const values = [...(d.properties[prop] ?? [''])];
      values[index] = value;
      return { ...d, properties: { ...d.properties, [prop]: values } };
    });
  }
  function addValue(prop: string) {
    setDraft((d) => ({
      ...d,
      properties: { ...d.properties, [prop]: [...(d.properties[prop] ?? ['']), ''] },
    }));
  }
  function removeValue(prop: string, index: number) {
    setDraft((d) => ({
      ...d,
      properties: { ...d.properties, [prop]: (d.properties[prop] ?? []).filter((_, i) => i !== index) },
    }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local: Record<string, string> = {};
    const properties = cleanProperties(draft.properties);
    if (Object.keys(properties).length === 0) local.properties = t('records.atLeastOneProperty');
    if (draft.crimeAreas.length === 0) local.crimeAreas = t('records.atLeastOne');
    if (draft.purposes.length === 0) local.purposes = t('records.atLeastOne');
    if (draft.codes.includes('H3') && !draft.h3Text.trim())
      local['handling.h3Text'] = t('records.h3Required');
    setLocalErrors(local);
    if (Object.keys(local).length) return;
    const body: RecordInput = {
      schema: draft.schema,
      properties,
      handling: {
        tlp: draft.tlp,
        codes: draft.codes,
        h3Text: draft.codes.includes('H3') ? draft.h3Text.trim() : null,
      },
      evaluation: { scheme: draft.scheme, source: draft.source, information: draft.information },
      crimeAreas: draft.crimeAreas,
      purposes: draft.purposes,
      subjectCategory: draft.schema === 'Person' && draft.subjectCategory ? draft.subjectCategory : null,
      recipients: draft.recipients,
    };
    const expiresAt = fromDateInput(draft.expiresAt);
    if (expiresAt && !record) body.expiresAt = expiresAt;
    setBusy(true);
    errors.setError(null);
    try {
      let saved: IntelRecord;
      if (record) {
        const { schema: _schema, expiresAt: _e, externalId: _x, ...changes } = body;
        saved = await patch<IntelRecord>(`/records/${record.id}`, { ...changes, version: record.version });
        toast(t('records.saved'));
      } else {
        saved = await post<IntelRecord>('/records', body);
        toast(t('records.created'));
      }
      navigate(`/records/${saved.id}`);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, { title: t('common.unknownError') });
      errors.setError(e.status === 409 ? new ApiError(409, { ...e.body, detail: t('records.conflict') }) : e);
      setBusy(false);
      window.scrollTo({ top: 0 });
    }
  }

  const fieldError = (name: string) => localErrors[name] ?? errors.field(name);

  return (
    <div className="page">
      <Breadcrumbs
        trail={[
          { to: '/records', label: t('records.title') },
          record && { to: `/records/${record.id}`, label: record.caption },
        ]}
      />
      <PageHeader title={record ? t('records.editTitle') : t('records.newTitle')} />
      <form className="form" onSubmit={submit} noValidate>
        <FormErrorSummary
          error={errors.error}
          mapped={[
            'schema',
            'properties',
            'handling',
            'evaluation',
            'crimeAreas',
            'purposes',
            'subjectCategory',
            'recipients',
          ]}
        />
        <section className="card stack">
          <Field
            label={t('records.chooseSchema')}
            hint={
              schema
                ? `${t('records.schemaHint')} · ${t('records.dataCategory')}: ${vocabLabel('dataCategory', schema.dataCategory)}`
                : t('records.schemaHint')
            }
            error={fieldError('schema')}
            required
          >
            {({ id, describedBy }) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={draft.schema}
                disabled={Boolean(record)}
                required
                onChange={(e) => {
                  update('schema', e.target.value);
                  update('properties', {});
                  setExtraProps([]);
                }}
              >
                <option value="">—</option>
                {sorted.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {schema && (
            <fieldset className="field">
              <legend>{t('records.properties')}</legend>
              {fieldError('properties') && <p className="field__error">{fieldError('properties')}</p>}
              <div className="props-grid">
                {mainProps.map((p) => {
                  const values = draft.properties[p.name]?.length ? (draft.properties[p.name] ?? ['']) : [''];
                  const propError = errors.field(`properties.${p.name}`);
                  return (
                    <div key={p.name} className={`prop${propError ? ' field--invalid' : ''}`}>
                      <span className="prop__label" id={`prop-${p.name}`}>
                        {p.label}
                        {schema.required.includes(p.name) && (
                          <span className="field__required"> ({t('common.required')})</span>
                        )}
                      </span>
                      {values.map((v, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: inputs are positional.
                        <div className="prop__value" key={i}>
                          <input
                            aria-labelledby={`prop-${p.name}`}
                            value={v}
                            dir="auto"
                            onChange={(e) => setValue(p.name, i, e.target.value)}
                          />
                          {values.length > 1 && (
                            <button
                              type="button"
                              className="btn btn--icon"
                              aria-label={`${t('records.removeValue')}: ${p.label}`}
                              onClick={() => removeValue(p.name, i)}
                            >
                              ×
                            </button>
                          )}
                        </div>
                      ))}
                      <button
                        type="button"
                        className="btn btn--link btn--small"
                        onClick={() => addValue(p.name)}
                      >
                        + {t('records.addValue')}
                      </button>
                      {propError && <p className="field__error">{propError}</p>}
                    </div>
                  );
                })}
              </div>
              {otherProps.length > 0 && (
                <div className="field field--inline">
                  <label htmlFor="add-prop">{t('records.otherProperties')}</label>
                  <select
                    id="add-prop"
                    value=""
                    onChange={(e) => e.target.value && setExtraProps((x) => [...x, e.target.value])}
                  >
                    <option value="">+ {t('common.add')}…</option>
                    {otherProps.map((p) => (
                      <option key={p.name} value={p.name}>
                        {p.label}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </fieldset>
          )}
        </section>

        <section className="card stack" aria-labelledby="label-title">
          <h2 id="label-title">{t('records.handling')}</h2>
          <fieldset className="field">
            <legend>{t('records.label')}</legend>
            <div className="tlp-options">
              {TLP_LABELS.map((label) => (
                <label key={label} className={`tlp-option${draft.tlp === label ? ' tlp-option--on' : ''}`}>
                  <input
                    type="radio"
                    name="tlp"
                    value={label}
                    checked={draft.tlp === label}
                    onChange={() => update('tlp', label)}
                  />
                  <TlpChip label={label} />
                  <span className="small">{tlpMeaning(label)}</span>
                </label>
              ))}
            </div>
            {fieldError('handling.tlp') && <p className="field__error">{fieldError('handling.tlp')}</p>}
          </fieldset>
          <CheckboxGroup
            legend={t('records.handlingCodes')}
            options={HANDLING_CODES}
            value={draft.codes}
            onChange={(v) => update('codes', v as HandlingCode[])}
            labels={(code) => `${code} – ${handlingMeaning(code)}`}
            columns={false}
            error={fieldError('handling.codes')}
          />
          {draft.codes.includes('H3') && (
            <Field label={t('records.h3Text')} error={fieldError('handling.h3Text')} required>
              {({ id, describedBy }) => (
                <textarea
                  id={id}
                  aria-describedby={describedBy}
                  rows={3}
                  value={draft.h3Text}
                  onChange={(e) => update('h3Text', e.target.value)}
                />
              )}
            </Field>
          )}
          <div className="form-row">
            <Field label={t('records.scheme')} error={fieldError('evaluation.scheme')}>
              {({ id }) => (
                <select
                  id={id}
                  value={draft.scheme}
                  onChange={(e) => update('scheme', e.target.value as EvaluationScheme)}
                >
                  <VocabOptions group="scheme" codes={EVALUATION_SCHEMES} />
                </select>
              )}
            </Field>
            <Field label={t('records.source')} error={fieldError('evaluation.source')}>
              {({ id }) => (
                <select id={id} value={draft.source} onChange={(e) => update('source', e.target.value)}>
                  {grades.source.map((g) => (
                    <option key={g} value={g}>
                      {g} – {tLoose(`evaluation.${draft.scheme}.source.${g}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('records.information')} error={fieldError('evaluation.information')}>
              {({ id }) => (
                <select
                  id={id}
                  value={draft.information}
                  onChange={(e) => update('information', e.target.value)}
                >
                  {grades.information.map((g) => (
                    <option key={g} value={g}>
                      {g} – {tLoose(`evaluation.${draft.scheme}.information.${g}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </section>

        <section className="card stack">
          <CheckboxGroup
            legend={t('records.crimeAreas')}
            options={CRIME_AREAS}
            value={draft.crimeAreas}
            onChange={(v) => update('crimeAreas', v as CrimeArea[])}
            labels="crimeArea"
            required
            error={fieldError('crimeAreas')}
          />
          <CheckboxGroup
            legend={t('records.purposes')}
            options={PURPOSES}
            value={draft.purposes}
            onChange={(v) => update('purposes', v as Purpose[])}
            labels="purpose"
            required
            error={fieldError('purposes')}
          />
          {draft.schema === 'Person' && (
            <Field
              label={t('records.subjectCategory')}
              hint={t('records.subjectHint')}
              error={fieldError('subjectCategory')}
            >
              {({ id, describedBy }) => (
                <select
                  id={id}
                  aria-describedby={describedBy}
                  value={draft.subjectCategory}
                  onChange={(e) => update('subjectCategory', e.target.value as SubjectCategory | '')}
                >
                  <option value="">—</option>
                  <VocabOptions group="subjectCategory" codes={SUBJECT_CATEGORIES} />
                </select>
              )}
            </Field>
          )}
          <OrgPicker
            legend={t('records.recipients')}
            hint={t('records.recipientsHint')}
            organizations={orgs.filter((o) => o.id !== me.organization.id)}
            value={draft.recipients}
            onChange={(v) => update('recipients', v)}
            error={fieldError('recipients')}
            filterLabel={t('agreements.partiesFilter')}
          />
          {!record && (
            <DateField
              label={t('records.expiresAt')}
              error={fieldError('expiresAt')}
              value={draft.expiresAt}
              onChange={(v) => update('expiresAt', v)}
            />
          )}
        </section>
        <FormActions
          submitLabel={record ? t('common.save') : t('common.create')}
          busy={busy}
          disabled={!draft.schema}
          cancel={record ? `/records/${record.id}` : '/records'}
        />
      </form>
    </div>
  );
}
