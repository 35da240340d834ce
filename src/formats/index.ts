import { type CsvMapping, parseCsv } from './csv.js';
import { parseFtm } from './ftm.js';
import { parseMisp } from './misp.js';
import { parseStix } from './stix.js';
import type { ParseEvent, Parser, ParserInput } from './types.js';

export type { CsvMapping } from './csv.js';
export { csvColumns, parseCsv, toCsv } from './csv.js';
export { parseFtm, toFtmLines } from './ftm.js';
export { type MispEvent, parseMisp, toMispEvent } from './misp.js';
export { parseStix, type StixBundle, toStixBundle } from './stix.js';
export type { ExportableRecord, ImportedEntity, ParseEvent, Parser, ParserInput } from './types.js';

/** The import formats. */
export const IMPORT_FORMATS = ['ftm', 'stix', 'misp', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The parsers that need nothing but the file; CSV also needs a mapping (see {@link parserFor}). */
export const parsers: Record<Exclude<ImportFormat, 'csv'>, Parser> & {
  csv: (input: ParserInput, mapping: CsvMapping) => AsyncGenerator<ParseEvent>;
} = {
  ftm: parseFtm,
  stix: parseStix,
  misp: parseMisp,
  csv: parseCsv,
};

/**
 * The parser for a format, ready to read a file. Throws when a CSV import has no mapping: the
 * importer must check for one (400) before it queues the job.
 */
export function parserFor(format: ImportFormat, mapping?: CsvMapping): Parser {
  switch (format) {
    case 'ftm':
      return parseFtm;
    case 'stix':
      return parseStix;
    case 'misp':
      return parseMisp;
    case 'csv': {
      if (!mapping) throw new Error('a CSV import needs a column mapping');
      return (input) => parseCsv(input, mapping);
    }
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
