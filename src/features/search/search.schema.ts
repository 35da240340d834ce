import { type Static, Type } from '@sinclair/typebox';
import { CRIME_AREAS, SUBJECT_CATEGORIES, TLP_LABELS } from '../../domain/vocabulary.js';
import { StringEnum } from '../../platform/http/schema.js';
import { RecordView } from '../records/records.schema.js';

export const SEARCH_SORTS = ['relevance', 'updated', 'caption'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 200, description: 'Web-search syntax: words, "phrases", -excluded, or' }),
    ),
    fuzzy: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'Also match names that differ by typos or transliteration',
      }),
    ),
    schema: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    country: Type.Optional(
      Type.String({ pattern: '^[A-Za-z]{2}(-[A-Za-z0-9]+)?$', description: 'ISO 3166-1 alpha-2' }),
    ),
    crimeArea: Type.Optional(StringEnum(CRIME_AREAS)),
    owner: Type.Optional(Type.String({ format: 'uuid' })),
    tlp: Type.Optional(StringEnum(TLP_LABELS)),
    subjectCategory: Type.Optional(StringEnum(SUBJECT_CATEGORIES)),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Updated at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Updated at or before' })),
    sort: Type.Optional(StringEnum(SEARCH_SORTS, { description: 'relevance (default), updated, caption' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type SearchQueryT = Static<typeof SearchQuery>;

const FacetValues = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }));

export const SearchResult = Type.Object({
  items: Type.Array(
    Type.Object({
      record: RecordView,
      score: Type.Number({ description: 'Relevance (0 when there is no query)' }),
      highlights: Type.Array(
        Type.Object({
          field: Type.String({ description: 'caption or properties.<name>' }),
          fragment: Type.String({ description: 'HTML-escaped text with <mark> around matches' }),
        }),
      ),
    }),
  ),
  facets: Type.Object({
    schema: FacetValues,
    country: FacetValues,
    crimeArea: FacetValues,
    owner: FacetValues,
    tlp: FacetValues,
    subjectCategory: FacetValues,
  }),
  total: Type.Integer({ description: 'Readable records matching the query and every filter' }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type SearchResultT = Static<typeof SearchResult>;
