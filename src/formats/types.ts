import type { EvaluationScheme, TlpLabel } from '../domain/vocabulary.js';
import type { FtmProperties } from '../platform/db/schema.js';

/**
 * One entity read from an import file, mapped to FollowTheMoney. Formats know nothing of the
 * database: entity-typed properties (a link's ends, an account's holder) hold the *external ids* of
 * other entities, which the importer resolves to record ids.
 */
export interface ImportedEntity {
  /** Stable id from the source (FtM id, STIX id, MISP uuid, CSV id column): re-importing updates. */
  externalId: string;
  schema: string;
  properties: FtmProperties;
  /** A label found in the source (STIX marking, MISP tlp: tag); overrides the import's default. */
  tlp?: TlpLabel;
  /** An evaluation found in the source (MISP admiralty-scale tags); overrides the default. */
  evaluation?: { scheme: EvaluationScheme; source: string; information: string };
}

/**
 * What a parser yields, in file order. `index` is the 1-based line (FtM JSON lines, CSV) or the
 * 1-based position of the object in the bundle or event (STIX, MISP), so a rejected row can be
 * found in the source.
 */
export type ParseEvent =
  | { type: 'entity'; index: number; entity: ImportedEntity }
  | { type: 'rejected'; index: number; reason: string }
  | { type: 'skipped'; index: number; objectType: string; reason: string };

/** What parsers read: chunks of the file, from a stream (or, in tests and previews, a list). */
export type ParserInput = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** A streaming parser: reads chunks, yields events, never holds a whole line-based file in memory. */
export type Parser = (input: ParserInput) => AsyncGenerator<ParseEvent>;

/** A record as exporters receive it: what the reader may see, with its handling. */
export interface ExportableRecord {
  id: string;
  schema: string;
  caption: string;
  properties: FtmProperties;
  owner: { id: string; name: string };
  handling: { tlp: string; codes: string[]; h3Text: string | null };
  evaluation: { scheme: string; source: string; information: string };
  crimeAreas: string[];
  purposes: string[];
  createdAt: string;
  updatedAt: string;
}
