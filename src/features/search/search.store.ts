import { type RawBuilder, sql } from 'kysely';
import { coveringAgreementSql, type ReadScope, readBasisSql } from '../../platform/access/governed.js';
import type { Executor } from '../../platform/db/db.js';
import type { FtmProperties } from '../../platform/db/schema.js';
import { foldForSearch, skeletonOf } from './search.fold.js';
import type { SearchSort } from './search.schema.js';

/** A search after validation: the query, the filters, the order and the page. */
export interface SearchParams {
  q: string | null;
  /** The query's words without websearch operators, for fuzzy name matching. */
  fuzzyText: string | null;
  fuzzy: boolean;
  schema?: string;
  country?: string;
  crimeArea?: string;
  owner?: string;
  tlp?: string;
  subjectCategory?: string;
  from?: Date;
  to?: Date;
  sort: SearchSort;
  limit: number;
  after?: { value: string; id: string };
}

/** The record columns a search result shows and the policy engine reads, with the access basis. */
export interface SearchRow {
  id: string;
  owner_org_id: string;
  schema: string;
  caption: string;
  properties: FtmProperties;
  tlp: string;
  handling_codes: string[];
  handling_h3_text: string | null;
  evaluation_scheme: string;
  evaluation_source: string;
  evaluation_information: string;
  crime_areas: string[];
  purposes: string[];
  data_category: string;
  subject_category: string | null;
  status: string;
  retracted_reason: string | null;
  review_at: Date;
  expires_at: Date;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  score: string;
  cursor_value: string;
  access_basis: string;
  access_ref: string | null;
}

export type FacetName = 'schema' | 'country' | 'crimeArea' | 'owner' | 'tlp' | 'subjectCategory';

export interface FacetCounts {
  total: number;
  facets: Record<FacetName, { value: string; count: number }[]>;
}

const COLUMNS = sql.raw(
  [
    'id',
    'owner_org_id',
    'schema',
    'caption',
    'properties',
    'tlp',
    'handling_codes',
    'handling_h3_text',
    'evaluation_scheme',
    'evaluation_source',
    'evaluation_information',
    'crime_areas',
    'purposes',
    'data_category',
    'subject_category',
    'status',
    'retracted_reason',
    'review_at',
    'expires_at',
    'external_id',
    'created_at',
    'updated_at',
    'version',
  ]
    .map((c) => `r.${c}`)
    .join(', '),
);

const TRUE = sql<boolean>`TRUE`;
const FACET_LIMIT = 50;

/** The SQL pieces of a search: match, score and each filter on the record aliased `r`. */
function parts(p: SearchParams) {
  // Folded here, as the writers fold what they store (records.search-columns.ts).
  const folded = foldForSearch(p.fuzzyText ?? '');
  const tsq = sql`websearch_to_tsquery('simple'::regconfig, ${foldForSearch(p.q ?? '')}::text)`;
  const names = sql`${folded}::text`;
  const skeleton = sql`plainto_tsquery('simple'::regconfig, ${skeletonOf(folded)}::text)`;
  const fuzzyOn = p.fuzzy && p.fuzzyText !== null && p.fuzzyText.length > 0;
  let match: RawBuilder<boolean> = TRUE;
  let score: RawBuilder<string> = sql<string>`0::numeric`;
  if (p.q !== null) {
    match = fuzzyOn
      ? sql<boolean>`(r.search_tsv @@ ${tsq} OR ${names} <% r.search_names OR r.search_skeleton @@ ${skeleton})`
      : sql<boolean>`r.search_tsv @@ ${tsq}`;
    // Rounded to a numeric so the cursor compares exactly what the order used.
    score = fuzzyOn
      ? sql<string>`round((ts_rank(r.search_tsv, ${tsq}) + word_similarity(${names}, r.search_names) + CASE WHEN r.search_skeleton @@ ${skeleton} THEN 0.3 ELSE 0 END)::numeric, 6)`
      : sql<string>`round(ts_rank(r.search_tsv, ${tsq})::numeric, 6)`;
  }
  const filters: Record<FacetName, RawBuilder<boolean>> = {
    schema: p.schema ? sql<boolean>`r.schema = ${p.schema}` : TRUE,
    country: p.country ? sql<boolean>`r.countries @> ARRAY[${p.country.toLowerCase()}::text]` : TRUE,
    crimeArea: p.crimeArea ? sql<boolean>`r.crime_areas @> ARRAY[${p.crimeArea}::text]` : TRUE,
    owner: p.owner ? sql<boolean>`r.owner_org_id = ${p.owner}::uuid` : TRUE,
    tlp: p.tlp ? sql<boolean>`r.tlp = ${p.tlp}` : TRUE,
    subjectCategory: p.subjectCategory ? sql<boolean>`r.subject_category = ${p.subjectCategory}` : TRUE,
  };
  const updated = sql<boolean>`${p.from ? sql`r.updated_at >= ${p.from}` : TRUE} AND ${p.to ? sql`r.updated_at <= ${p.to}` : TRUE}`;
  return { match, score, filters, updated };
}

/** The effective order: relevance without a query is by last update. */
export function effectiveSort(p: Pick<SearchParams, 'q' | 'sort'>): SearchSort {
  return p.sort === 'relevance' && p.q === null ? 'updated' : p.sort;
}

/** ORDER BY for a sort, on output columns (qualified by `alias` when given). */
function ordering(sort: SearchSort, alias?: string) {
  const a = (c: string) => sql.ref(alias ? `${alias}.${c}` : c);
  switch (sort) {
    case 'relevance':
      return sql`ORDER BY ${a('score')} DESC, ${a('id')} DESC`;
    case 'updated':
      return sql`ORDER BY ${a('updated_at')} DESC, ${a('id')} DESC`;
    case 'caption':
      return sql`ORDER BY ${a('caption')} ASC, ${a('id')} ASC`;
  }
}

/**
 * One page of the records the scope's reader may read that match the search, in the requested
 * order after the keyset position `p.after`; the policy predicate is part of the query, and the
 * basis and covering agreement of each returned row are computed in the same statement.
 * Returns up to `limit + 1` rows so the caller knows whether there is a next page.
 */
export function searchPage(db: Executor, scope: ReadScope, p: SearchParams): Promise<SearchRow[]> {
  return searchPageWhere(db, policyVisibility(scope), p);
}

/**
 * Which rows a search may see, as a predicate on the record aliased `alias`, and what to report as
 * the basis and covering agreement of a row. The service always uses `policyVisibility`.
 */
export interface Visibility {
  predicate(alias: string): RawBuilder<boolean>;
  basis(alias: string): RawBuilder<string | null>;
  ref(alias: string): RawBuilder<string | null>;
}

/** The policy engine's read scope: `readBasisSql(scope, alias) IS NOT NULL`. */
export function policyVisibility(scope: ReadScope): Visibility {
  return {
    predicate: (alias) => sql<boolean>`${readBasisSql(scope, alias)} IS NOT NULL`,
    basis: (alias) => readBasisSql(scope, alias),
    ref: (alias) => coveringAgreementSql(scope, alias),
  };
}

/**
 * No access control at all. Only for bench/search.js, which measures what the policy predicate
 * costs against this baseline; nothing that answers a reader may use it.
 */
export const UNSCOPED_FOR_BENCHMARK: Visibility = {
  predicate: () => TRUE,
  basis: () => sql<string>`'none'`,
  ref: () => sql<null>`NULL::uuid`,
};

/** `searchPage` with an explicit visibility (the benchmark's baseline); see `searchPage`. */
export async function searchPageWhere(
  db: Executor,
  visibility: Visibility,
  p: SearchParams,
): Promise<SearchRow[]> {
  const { match, score, filters, updated } = parts(p);
  const sort = effectiveSort(p);
  let cursorValue: RawBuilder<string>;
  let keyset: RawBuilder<boolean> = TRUE;
  switch (sort) {
    case 'relevance':
      cursorValue = sql<string>`(${score})::text`;
      if (p.after) keyset = sql<boolean>`(${score}, r.id) < (${p.after.value}::numeric, ${p.after.id}::uuid)`;
      break;
    case 'updated':
      cursorValue = sql<string>`to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
      if (p.after)
        keyset = sql<boolean>`(r.updated_at, r.id) < (${p.after.value}::timestamptz, ${p.after.id}::uuid)`;
      break;
    case 'caption':
      cursorValue = sql<string>`r.caption`;
      if (p.after) keyset = sql<boolean>`(r.caption, r.id) > (${p.after.value}::text, ${p.after.id}::uuid)`;
      break;
  }
  const result = await sql<SearchRow>`
    SELECT s.*, ${visibility.basis('s')} AS access_basis, ${visibility.ref('s')} AS access_ref
    FROM (
      SELECT ${COLUMNS}, ${score} AS score, ${cursorValue} AS cursor_value
      FROM records r
      WHERE ${match}
        AND ${visibility.predicate('r')}
        AND ${filters.schema} AND ${filters.country} AND ${filters.crimeArea}
        AND ${filters.owner} AND ${filters.tlp} AND ${filters.subjectCategory}
        AND ${updated}
        AND ${keyset}
      ${ordering(sort)}
      LIMIT ${sql.lit(p.limit + 1)}
    ) s
    ${ordering(sort, 's')}`.execute(db);
  return result.rows;
}

/**
 * The number of readable records matching the search and every filter, and for each filter the
 * counts of its values among the readable matches of every other filter (a facet ignores its own
 * filter, so choosing a value does not hide the alternatives). Computed in SQL under the policy.
 */
export function searchFacets(db: Executor, scope: ReadScope, p: SearchParams): Promise<FacetCounts> {
  return searchFacetsWhere(db, policyVisibility(scope), p);
}

/** `searchFacets` with an explicit visibility (the benchmark's baseline); see `searchFacets`. */
export async function searchFacetsWhere(
  db: Executor,
  visibility: Visibility,
  p: SearchParams,
): Promise<FacetCounts> {
  const { match, filters, updated } = parts(p);
  const names = Object.keys(filters) as FacetName[];
  const flag = (n: FacetName) => sql.ref(`f_${n}`);
  const others = (except: FacetName | null) =>
    sql.join(names.filter((n) => n !== except).map(flag), sql` AND `);
  const result = await sql<{ facet: string; value: string | null; n: string }>`
    WITH base AS MATERIALIZED (
      SELECT r.schema, r.countries, r.crime_areas, r.owner_org_id, r.tlp, r.subject_category,
        ${sql.join(
          names.map((n) => sql`${filters[n]} AS ${flag(n)}`),
          sql`, `,
        )}
      FROM records r
      WHERE ${match} AND ${visibility.predicate('r')} AND ${updated}
    )
    SELECT 'total' AS facet, NULL AS value, count(*) AS n FROM base WHERE ${others(null)}
    UNION ALL SELECT 'schema', schema, count(*) FROM base WHERE ${others('schema')} GROUP BY schema
    UNION ALL SELECT 'country', c, count(*) FROM base CROSS JOIN LATERAL unnest(countries) AS c WHERE ${others('country')} GROUP BY c
    UNION ALL SELECT 'crimeArea', c, count(*) FROM base CROSS JOIN LATERAL unnest(crime_areas) AS c WHERE ${others('crimeArea')} GROUP BY c
    UNION ALL SELECT 'owner', owner_org_id::text, count(*) FROM base WHERE ${others('owner')} GROUP BY owner_org_id
    UNION ALL SELECT 'tlp', tlp, count(*) FROM base WHERE ${others('tlp')} GROUP BY tlp
    UNION ALL SELECT 'subjectCategory', subject_category, count(*) FROM base WHERE ${others('subjectCategory')} AND subject_category IS NOT NULL GROUP BY subject_category
  `.execute(db);
  const facets: FacetCounts['facets'] = {
    schema: [],
    country: [],
    crimeArea: [],
    owner: [],
    tlp: [],
    subjectCategory: [],
  };
  let total = 0;
  for (const row of result.rows) {
    if (row.facet === 'total') total = Number(row.n);
    else if (row.value !== null)
      facets[row.facet as FacetName].push({ value: row.value, count: Number(row.n) });
  }
  for (const n of names) {
    facets[n].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    facets[n] = facets[n].slice(0, FACET_LIMIT);
  }
  return { total, facets };
}
