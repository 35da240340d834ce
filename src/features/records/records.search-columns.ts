import { type RawBuilder, sql } from 'kysely';
import type { FtmProperties } from '../../platform/db/schema.js';
import { foldForSearch, skeletonOf } from '../search/search.fold.js';
import { captionFor, searchTextFor } from './records.model.js';

/**
 * The columns of a record that search reads, derived from its content. Every writer of a record's
 * content (the service, the importer, the demo, tests, benchmarks) sets them with this function, in
 * the same statement as the content.
 *
 * Migration 0005 had the database compute them as STORED generated columns through the SQL twins of
 * these functions (`entente_fold`, `entente_skeleton`, …). Measured on PostgreSQL 15 (bench/RESULTS.md,
 * "Import"), those expressions cost ~60 µs per inserted row, three quarters of a bulk insert: SQL
 * functions in a generated column are executed, not inlined. Folding here costs a few microseconds;
 * the database only tokenises (`to_tsvector`). Migration 0007 turned the columns into plain ones
 * and made them NOT NULL so a writer that forgets them fails instead of hiding its rows from search.
 * `search.fold.test.ts` checks that the TypeScript and SQL folding agree, so rows written before 0007
 * and after it are searched alike.
 */
export interface SearchColumns {
  caption: string;
  search_text: string;
  search_tsv: RawBuilder<string>;
  search_names: string;
  search_skeleton: RawBuilder<string>;
  countries: string[];
}

const NAME_PROPERTIES = ['name', 'alias', 'previousName', 'weakAlias'] as const;
const COUNTRY_PROPERTIES = ['country', 'nationality', 'jurisdiction'] as const;

/** The words search matches names on: the caption and every name, alias and former name. */
export function recordNames(caption: string, properties: FtmProperties): string {
  const parts = [caption];
  for (const p of NAME_PROPERTIES) for (const v of properties[p] ?? []) parts.push(v);
  return parts.join(' ');
}

/** Countries, nationalities and jurisdictions, lower case, distinct and sorted (the country facet). */
export function recordCountries(properties: FtmProperties): string[] {
  const out = new Set<string>();
  for (const p of COUNTRY_PROPERTIES) for (const v of properties[p] ?? []) out.add(v.toLowerCase());
  return [...out].sort();
}

function tsvector(text: string): RawBuilder<string> {
  return sql<string>`to_tsvector('simple'::regconfig, ${text}::text)`;
}

/**
 * Caption, search text and the search columns of a record with these (normalised) properties. The
 * caption is FollowTheMoney's unless given (tests and benchmarks name their rows).
 */
export function searchColumnsFor(
  schema: string,
  properties: FtmProperties,
  caption = captionFor(schema, properties),
): SearchColumns {
  const t = searchTextColumns(schema, properties, caption);
  return {
    caption: t.caption,
    search_text: t.searchText,
    search_tsv: tsvector(t.folded),
    search_names: t.names,
    search_skeleton: tsvector(t.skeleton),
    countries: t.countries,
  };
}

/** The same as text, for bulk writers that tokenise in their own statement (the importer). */
export interface SearchText {
  caption: string;
  searchText: string;
  /** Folded search text: `search_tsv` is its `to_tsvector('simple', …)`. */
  folded: string;
  names: string;
  /** `search_skeleton` is its `to_tsvector('simple', …)`. */
  skeleton: string;
  countries: string[];
}

export function searchTextColumns(
  schema: string,
  properties: FtmProperties,
  caption = captionFor(schema, properties),
): SearchText {
  const searchText = searchTextFor(schema, properties);
  const names = foldForSearch(recordNames(caption, properties));
  return {
    caption,
    searchText,
    folded: foldForSearch(searchText),
    names,
    skeleton: skeletonOf(names),
    countries: recordCountries(properties),
  };
}

/** What a purged record leaves to search: nothing but its placeholder caption. */
export function purgedSearchColumns(caption: string): SearchColumns {
  return {
    caption,
    search_text: '',
    search_tsv: tsvector(''),
    search_names: foldForSearch(caption),
    search_skeleton: tsvector(skeletonOf(foldForSearch(caption))),
    countries: [],
  };
}
