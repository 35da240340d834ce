import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, get } from '../../api/client.js';
import type { FacetName, FacetValue, SchemaDescription, SearchHit, SearchResult } from '../../api/types.js';
import { TlpChip } from '../../ui/chips.js';
import { formatDate, formatNumber } from '../../ui/format.js';
import { IconClose } from '../../ui/icons.js';
import { PageHeader } from '../../ui/page-header.js';
import { EmptyState, ErrorState, SkeletonRows, Spinner } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';
import { loadOrganizations, loadSchemata } from '../records/records-data.js';
import { parseHighlight } from './highlight.js';

const LIMIT = 20;
const FACETS: readonly FacetName[] = ['schema', 'country', 'crimeArea', 'owner', 'tlp', 'subjectCategory'];
const SORTS = ['relevance', 'updated', 'caption'] as const;
/** Every search parameter kept in the address, so a search can be shared, reloaded and gone back to. */
const KEYS = ['q', 'fuzzy', ...FACETS, 'from', 'to', 'sort'] as const;
type Key = (typeof KEYS)[number];

/** The name of a country code in the interface language (`UA` → Ukraine). */
function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** A search fragment with its matches marked, built from text nodes and `<mark>` elements only. */
export function Highlight({ fragment }: { fragment: string }) {
  return (
    <>
      {parseHighlight(fragment).map((part, i) =>
        part.mark ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional.
          <mark key={i}>{part.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional.
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}

/** Full-text search over the records the user may read, with facets, sorting and "Load more". */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<Key, string>;
  const [text, setText] = useState(values.q);
  const schemata = useApi('schemata', () => loadSchemata());
  const orgs = useApi('orgs', () => loadOrganizations());
  const inputId = useId();

  // The box follows the address when the user goes back or clears the search.
  useEffect(() => setText(values.q), [values.q]);

  const key = params.toString();
  const query: Record<string, string | number> = { limit: LIMIT };
  for (const k of KEYS) if (values[k]) query[k] = values[k];
  const first = useApi(`search?${key}`, (signal) => get<SearchResult>('/search', query, signal));
  const [more, setMore] = useState<{ items: SearchHit[]; cursor: string | null; forKey: string }>({
    items: [],
    cursor: null,
    forKey: '',
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const extra = more.forKey === key ? more.items : [];
  const nextCursor = more.forKey === key ? more.cursor : (first.data?.nextCursor ?? null);

  function set(changes: Partial<Record<Key, string>>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: false });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    set({ q: text.trim() });
  }

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await get<SearchResult>('/search', { ...query, cursor: nextCursor });
      setMore({ items: [...extra, ...page.items], cursor: page.nextCursor, forKey: key });
    } catch (err) {
      setMoreError(err instanceof ApiError ? err : new ApiError(0, {}));
    } finally {
      setLoadingMore(false);
    }
  }

  const schemaLabel = (name: string) => schemata.data?.find((s) => s.name === name)?.label ?? name;
  const facetLabel = (facet: FacetName, value: string): string => {
    switch (facet) {
      case 'schema':
        return schemaLabel(value);
      case 'country':
        return countryName(value, i18n.language);
      case 'crimeArea':
        return vocabLabel('crimeArea', value);
      case 'owner':
        return orgs.data?.find((o) => o.id === value)?.name ?? value;
      case 'tlp':
        return value;
      case 'subjectCategory':
        return vocabLabel('subjectCategory', value);
    }
  };
  const facetTitle: Record<FacetName, string> = {
    schema: t('search.facet.schema'),
    country: t('search.facet.country'),
    crimeArea: t('search.facet.crimeArea'),
    owner: t('search.facet.owner'),
    tlp: t('search.facet.tlp'),
    subjectCategory: t('search.facet.subjectCategory'),
  };
  const activeFacets = FACETS.filter((f) => values[f]);
  const anyFilter = activeFacets.length > 0 || values.from !== '' || values.to !== '';
  const items = [...(first.data?.items ?? []), ...extra];

  return (
    <div className="page">
      <PageHeader title={t('search.title')} intro={t('search.intro')} />
      <form className="search-bar card" role="search" onSubmit={submit}>
        <div className="field field--grow">
          <label htmlFor={inputId}>{t('search.query')}</label>
          <input
            id={inputId}
            type="search"
            dir="auto"
            value={text}
            placeholder={t('search.placeholder')}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <label className="checkbox search-bar__fuzzy">
          <input
            type="checkbox"
            checked={values.fuzzy === 'true'}
            onChange={(e) => set({ fuzzy: e.target.checked ? 'true' : '' })}
          />
          <span>{t('search.fuzzy')}</span>
        </label>
        <button type="submit" className="btn btn--primary">
          {t('common.search')}
        </button>
      </form>
      <div className="search-layout">
        <aside className="search-facets" aria-label={t('search.refine')}>
          <section className="card facet" aria-labelledby={`${inputId}-dates`}>
            <h3 className="facet__title" id={`${inputId}-dates`}>
              {t('search.dateRange')}
            </h3>
            <div className="field">
              <label htmlFor={`${inputId}-from`}>{t('search.from')}</label>
              <input
                id={`${inputId}-from`}
                type="date"
                value={values.from}
                onChange={(e) => set({ from: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor={`${inputId}-to`}>{t('search.to')}</label>
              <input
                id={`${inputId}-to`}
                type="date"
                value={values.to}
                onChange={(e) => set({ to: e.target.value })}
              />
            </div>
          </section>
          {FACETS.map((facet) => (
            <FacetPanel
              key={facet}
              title={facetTitle[facet]}
              values={first.data?.facets[facet] ?? []}
              selected={values[facet]}
              label={(v) => facetLabel(facet, v)}
              onSelect={(v) => set({ [facet]: v === values[facet] ? '' : v })}
            />
          ))}
        </aside>
        <section className="search-results" aria-labelledby={`${inputId}-results`}>
          <div className="search-results__bar">
            <h2 id={`${inputId}-results`} className="result-count" aria-live="polite">
              {first.data
                ? t('common.results', { total: formatNumber(first.data.total) })
                : t('search.results')}
            </h2>
            <div className="field field--inline">
              <label htmlFor={`${inputId}-sort`}>{t('search.sort')}</label>
              <select
                id={`${inputId}-sort`}
                value={values.sort || 'relevance'}
                onChange={(e) => set({ sort: e.target.value === 'relevance' ? '' : e.target.value })}
              >
                {SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t(`search.sortBy.${s}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {anyFilter && (
            <ul className="filter-chips" aria-label={t('search.activeFilters')}>
              {activeFacets.map((facet) => (
                <li key={facet}>
                  <FilterChip
                    text={`${facetTitle[facet]}: ${facetLabel(facet, values[facet])}`}
                    onRemove={() => set({ [facet]: '' })}
                  />
                </li>
              ))}
              {values.from && (
                <li>
                  <FilterChip
                    text={`${t('search.from')}: ${formatDate(values.from)}`}
                    onRemove={() => set({ from: '' })}
                  />
                </li>
              )}
              {values.to && (
                <li>
                  <FilterChip
                    text={`${t('search.to')}: ${formatDate(values.to)}`}
                    onRemove={() => set({ to: '' })}
                  />
                </li>
              )}
              <li>
                <button
                  type="button"
                  className="btn btn--link"
                  onClick={() => set(Object.fromEntries([...FACETS, 'from', 'to'].map((k) => [k, ''])))}
                >
                  {t('common.clearFilters')}
                </button>
              </li>
            </ul>
          )}
          {first.error ? (
            <ErrorState error={first.error} onRetry={first.reload} />
          ) : !first.data ? (
            <SkeletonRows rows={5} columns={3} />
          ) : items.length === 0 ? (
            <EmptyState>{values.q || anyFilter ? t('search.empty') : t('search.emptyNoQuery')}</EmptyState>
          ) : (
            <>
              <ol className="hits" data-testid="search-results" aria-busy={first.loading}>
                {items.map((hit) => (
                  <li key={hit.record.id}>
                    <HitCard hit={hit} schemata={schemata.data} />
                  </li>
                ))}
              </ol>
              {moreError && <ErrorState error={moreError} onRetry={() => void loadMore()} />}
              {nextCursor && (
                <div className="button-row button-row--center">
                  <button
                    type="button"
                    className="btn"
                    onClick={() => void loadMore()}
                    disabled={loadingMore}
                  >
                    {loadingMore ? <Spinner /> : t('search.loadMore')}
                  </button>
                </div>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

function FilterChip({ text, onRemove }: { text: string; onRemove: () => void }) {
  const { t } = useTranslation();
  return (
    <span className="filter-chip">
      <span>{text}</span>
      <button
        type="button"
        className="filter-chip__remove"
        aria-label={t('search.removeFilter', { filter: text })}
        onClick={onRemove}
      >
        <IconClose />
      </button>
    </span>
  );
}

function FacetPanel({
  title,
  values,
  selected,
  label,
  onSelect,
}: {
  title: string;
  values: FacetValue[];
  selected: string;
  label: (value: string) => string;
  onSelect: (value: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  // The selected value stays listed even when the answer's facet omits it.
  const shown =
    selected && !values.some((v) => v.value === selected)
      ? [{ value: selected, count: 0 }, ...values]
      : values;
  return (
    <section className="card facet" aria-labelledby={id}>
      <h3 className="facet__title" id={id}>
        {title}
      </h3>
      {shown.length === 0 ? (
        <p className="muted small">{t('search.noValues')}</p>
      ) : (
        <ul className="facet__list">
          {shown.map((v) => (
            <li key={v.value}>
              <button
                type="button"
                className={`facet__value${selected === v.value ? ' facet__value--on' : ''}`}
                aria-pressed={selected === v.value}
                onClick={() => onSelect(v.value)}
              >
                <span className="facet__label" dir="auto">
                  {label(v.value)}
                </span>
                <span className="facet__count">{formatNumber(v.count)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function HitCard({ hit, schemata }: { hit: SearchHit; schemata: SchemaDescription[] | undefined }) {
  const { t } = useTranslation();
  const r = hit.record;
  const schema = schemata?.find((s) => s.name === r.schema);
  const fieldLabel = (field: string) => {
    const name = field.replace(/^properties\./, '');
    return (
      schema?.properties.find((p) => p.name === name)?.label ??
      (name === 'caption' ? t('recordHistory.field.caption') : name)
    );
  };
  // The caption repeats the name property: show each marked text once, at most three.
  const highlights = hit.highlights
    .filter((h, i, all) =>
      h.field === 'caption'
        ? !all.some((x) => x.field !== 'caption' && x.fragment === h.fragment)
        : all.findIndex((x) => x.field !== 'caption' && x.fragment === h.fragment) === i,
    )
    .slice(0, 3);
  return (
    <article className="card hit" data-record-id={r.id}>
      <header className="hit__header">
        <h3 className="hit__title">
          <Link to={`/records/${r.id}`} dir="auto">
            {r.caption || r.id}
          </Link>
        </h3>
        <TlpChip label={r.handling.tlp} />
      </header>
      <p className="muted small hit__meta">
        <span>{schema?.label ?? r.schema}</span> · <span>{r.owner.name}</span> ·{' '}
        <span>
          {t('records.updated')}: {formatDate(r.updatedAt)}
        </span>
      </p>
      {highlights.length > 0 && (
        <dl className="hit__highlights">
          {highlights.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a field may be highlighted twice.
            <div key={i} className="hit__highlight">
              <dt>{fieldLabel(h.field)}</dt>
              <dd dir="auto">
                <Highlight fragment={h.fragment} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </article>
  );
}
