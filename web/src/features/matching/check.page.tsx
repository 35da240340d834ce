import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../api/client.js';
import type {
  MatchCheckOrganization,
  MatchCheckResult,
  MatchStatus,
  SchemaDescription,
} from '../../api/types.js';
import { Field, FormErrorSummary } from '../../ui/form.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page-header.js';
import { Spinner } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { loadSchemata } from '../records/records-data.js';
import { DisclosureRequestDialog } from './disclosure-request.js';
import { CapNote, FeatureChips, OrgLink, Reference, ScoreBar } from './matching-ui.js';

// The kinds of record a check can describe, most asked first.
const CHECK_SCHEMATA = [
  'Person',
  'Company',
  'Organization',
  'LegalEntity',
  'PublicBody',
  'Vessel',
  'Vehicle',
  'Airplane',
  'BankAccount',
  'CryptoWallet',
  'UserAccount',
];
// Property types the matcher reads (names, identifiers, dates, countries, contacts, addresses).
const MATCH_TYPES = new Set(['name', 'identifier', 'date', 'country', 'email', 'phone', 'address']);
// Bookkeeping dates of a record say nothing about the entity.
const IGNORED = new Set(['createdAt', 'modifiedAt', 'retrievedAt']);
const DEFAULT_ROWS: Record<string, string[]> = {
  Person: ['name', 'birthDate', 'nationality', 'passportNumber'],
  Company: ['name', 'registrationNumber', 'jurisdiction'],
  Vessel: ['name', 'imoNumber', 'flag'],
};

interface Row {
  key: number;
  prop: string;
  value: string;
}

/** The properties of a schema a check may hold, featured ones first, then by label. */
function checkProperties(schema: SchemaDescription | undefined) {
  if (!schema) return [];
  const usable = schema.properties.filter((p) => MATCH_TYPES.has(p.type) && !IGNORED.has(p.name));
  const featured = schema.featured.flatMap((n) => usable.filter((p) => p.name === n));
  const rest = usable
    .filter((p) => !schema.featured.includes(p.name))
    .sort((a, b) => a.label.localeCompare(b.label));
  return [...featured, ...rest];
}

function defaultRows(schema: SchemaDescription | undefined, next: () => number): Row[] {
  const usable = checkProperties(schema).map((p) => p.name);
  const wanted = (schema && DEFAULT_ROWS[schema.name]) ?? schema?.featured ?? ['name'];
  const names = wanted.filter((n) => usable.includes(n));
  return (names.length ? names : usable.slice(0, 1)).map((prop) => ({ key: next(), prop, value: '' }));
}

/**
 * Hit/no-hit on demand: the analyst describes an entity, every organization the agreements allow
 * answers hit or no hit, with a reference to quote for disclosure. Nothing of the query is kept.
 */
export function CheckPage() {
  const { t } = useTranslation();
  const schemata = useApi('schemata', () => loadSchemata());
  const status = useApi('match-status', (signal) => get<MatchStatus>('/match/status', undefined, signal));
  const counter = useRef(0);
  const next = () => {
    counter.current += 1;
    return counter.current;
  };
  const [schemaName, setSchemaName] = useState('Person');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<MatchCheckResult | null>(null);
  const [requestFor, setRequestFor] = useState<MatchCheckOrganization | null>(null);
  const resultRef = useRef<HTMLElement>(null);

  const available = useMemo(
    () => CHECK_SCHEMATA.flatMap((n) => (schemata.data ?? []).filter((s) => s.name === n)),
    [schemata.data],
  );
  const schema = available.find((s) => s.name === schemaName);
  const properties = checkProperties(schema);
  const shownRows = rows ?? [];
  // The first rows wait for the schemata: they depend on what the schema offers.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `next` only numbers the rows.
  useEffect(() => {
    if (rows === null && schema) setRows(defaultRows(schema, next));
  }, [rows, schema]);

  const propType = (name: string) => schema?.properties.find((p) => p.name === name)?.type ?? 'string';
  const filled = shownRows.filter((r) => r.value.trim() !== '');

  function changeSchema(name: string) {
    setSchemaName(name);
    setRows(
      defaultRows(
        available.find((s) => s.name === name),
        next,
      ),
    );
    setResult(null);
    setError(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const props: Record<string, string[]> = {};
    for (const r of filled) props[r.prop] = [...(props[r.prop] ?? []), r.value.trim()];
    setBusy(true);
    setError(null);
    try {
      const answer = await post<MatchCheckResult>('/match/check', { schema: schemaName, properties: props });
      setResult(answer);
      // Bring the answer into view and to the screen reader.
      window.setTimeout(() => resultRef.current?.focus(), 0);
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? err : new ApiError(0, {}));
    } finally {
      setBusy(false);
    }
  }

  const retryAfter = error?.status === 429 ? Number(error.body.retryAfter ?? 0) || null : null;

  return (
    <div className="page">
      <PageHeader title={t('matching.check.title')} intro={t('matching.check.intro')} />
      {status.data && (
        <p className="muted small" data-testid="match-status">
          {status.data.partners.length === 0
            ? t('matching.check.noPartners')
            : t('matching.check.partners', {
                n: formatNumber(status.data.partners.length),
                names: status.data.partners.map((p) => p.name).join(', '),
              })}
        </p>
      )}
      {!schemata.data ? (
        <Spinner block />
      ) : (
        <form
          className="card stack match-card"
          onSubmit={submit}
          aria-labelledby="check-form-title"
          data-testid="check-form"
        >
          <h2 id="check-form-title">{t('matching.check.formTitle')}</h2>
          <Field label={t('matching.check.schema')}>
            {({ id }) => (
              <select
                id={id}
                className="match-schema-select"
                value={schemaName}
                onChange={(e) => changeSchema(e.target.value)}
              >
                {available.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="match-check-rows">
            <legend className="field__label">{t('matching.check.identifiers')}</legend>
            <p className="field__hint">{t('matching.check.identifiersHint')}</p>
            {shownRows.map((row, i) => (
              <CheckRow
                key={row.key}
                index={i}
                row={row}
                options={properties}
                type={propType(row.prop)}
                canRemove={shownRows.length > 1}
                onChange={(changed) => setRows(shownRows.map((r) => (r.key === row.key ? changed : r)))}
                onRemove={() => setRows(shownRows.filter((r) => r.key !== row.key))}
              />
            ))}
            <div>
              <button
                type="button"
                className="btn btn--small"
                onClick={() =>
                  setRows([...shownRows, { key: next(), prop: properties[0]?.name ?? 'name', value: '' }])
                }
              >
                {t('matching.check.addRow')}
              </button>
            </div>
          </fieldset>
          {error && error.status === 429 ? (
            <p className="form-error" role="alert">
              {retryAfter
                ? t('matching.check.rateLimitedFor', { s: formatNumber(retryAfter) })
                : t('matching.check.rateLimited')}
            </p>
          ) : error?.status === 422 ? (
            <p className="form-error" role="alert">
              {t('matching.check.nothingToMatch')}
              {error.detail && <span className="muted"> ({error.detail})</span>}
            </p>
          ) : (
            <FormErrorSummary error={error} />
          )}
          <p className="muted small">{t('matching.check.privacy')}</p>
          <div className="button-row button-row--end">
            <button type="submit" className="btn btn--primary" disabled={busy || filled.length === 0}>
              {busy ? t('matching.check.checking') : t('matching.check.submit')}
            </button>
          </div>
        </form>
      )}
      {result && (
        <section
          className="card stack match-card"
          aria-labelledby="check-result-title"
          ref={resultRef}
          tabIndex={-1}
          data-testid="check-result"
        >
          <div className="section-header">
            <h2 id="check-result-title">{t('matching.check.resultTitle')}</h2>
            <span className="muted small">
              {t('matching.check.checkedAt', { at: formatDateTime(result.checkedAt) })}
            </span>
          </div>
          <p role="status">
            {t('matching.check.summary', {
              hits: formatNumber(result.organizations.filter((o) => o.result === 'hit').length),
              total: formatNumber(result.organizations.length),
            })}
          </p>
          <CapNote count={result.cappedKeys} />
          {result.organizations.length === 0 ? (
            <p className="muted">{t('matching.check.noPartners')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="check-results">
                <thead>
                  <tr>
                    <th scope="col">{t('matching.organization')}</th>
                    <th scope="col">{t('matching.check.result')}</th>
                    <th scope="col">{t('matching.score')}</th>
                    <th scope="col">{t('matching.features')}</th>
                    <th scope="col">{t('matching.reference')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.organizations.map((o) => (
                    <tr key={o.organization.id} data-org={o.organization.slug} data-result={o.result}>
                      <th scope="row" className="match-org-cell">
                        <OrgLink org={o.organization} />
                      </th>
                      <td>
                        {o.result === 'hit' ? (
                          <span className="chip chip--bad match-hit-chip">{t('matching.check.hit')}</span>
                        ) : (
                          <span className="chip chip--muted">{t('matching.check.noHit')}</span>
                        )}
                      </td>
                      <td>
                        {o.score !== undefined ? (
                          <ScoreBar score={o.score} />
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>{o.result === 'hit' ? <FeatureChips features={o.features} /> : null}</td>
                      <td>
                        {o.reference ? (
                          <Reference value={o.reference} opaque />
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>
                        {o.result === 'hit' && o.reference && (
                          <button type="button" className="btn btn--small" onClick={() => setRequestFor(o)}>
                            {t('matching.request.short')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {result.organizations.some((o) => o.result === 'hit') && (
            <p className="muted small">{t('matching.check.referenceValid')}</p>
          )}
        </section>
      )}
      <DisclosureRequestDialog
        open={requestFor !== null}
        onClose={() => setRequestFor(null)}
        checkReference={requestFor?.reference ?? ''}
        ownerName={requestFor?.organization.name ?? ''}
      />
    </div>
  );
}

interface CheckRowProps {
  index: number;
  row: Row;
  options: { name: string; label: string; type: string }[];
  type: string;
  canRemove: boolean;
  onChange: (row: Row) => void;
  onRemove: () => void;
}

/** One property and value of the entity to check. */
function CheckRow({ index, row, options, type, canRemove, onChange, onRemove }: CheckRowProps) {
  const { t } = useTranslation();
  const id = useId();
  const label = options.find((o) => o.name === row.prop)?.label ?? row.prop;
  const ltr = type !== 'name' && type !== 'address';
  const placeholder =
    type === 'date'
      ? t('matching.check.datePlaceholder')
      : type === 'country'
        ? t('matching.check.countryPlaceholder')
        : undefined;
  return (
    <div className="match-check-row" data-row={index}>
      <div className="field">
        <label htmlFor={`${id}-prop`} className="visually-hidden">
          {t('matching.check.propertyN', { n: index + 1 })}
        </label>
        <select
          id={`${id}-prop`}
          value={row.prop}
          onChange={(e) => onChange({ ...row, prop: e.target.value })}
        >
          {options.map((o) => (
            <option key={o.name} value={o.name}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--grow">
        <label htmlFor={`${id}-value`} className="visually-hidden">
          {t('matching.check.valueFor', { property: label })}
        </label>
        <input
          id={`${id}-value`}
          dir={ltr ? 'ltr' : 'auto'}
          placeholder={placeholder}
          value={row.value}
          onChange={(e) => onChange({ ...row, value: e.target.value })}
        />
      </div>
      <button
        type="button"
        className="btn btn--small"
        onClick={onRemove}
        disabled={!canRemove}
        aria-label={t('matching.check.removeRow', { property: label })}
      >
        {t('common.remove')}
      </button>
    </div>
  );
}
