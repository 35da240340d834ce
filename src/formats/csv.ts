import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { entityEvent } from './shared.js';
import type { ExportableRecord, ParseEvent, ParserInput } from './types.js';

/** How the columns of a CSV file map to one FtM schema: saved per organization as an import mapping. */
export interface CsvMapping {
  schema: string;
  /** The column holding each row's stable id (re-importing the file updates the same records). */
  idColumn: string;
  /** Column name → FtM property name; unmapped columns are ignored. */
  columns: Record<string, string>;
}

interface CsvRow {
  record: string[];
  info: { lines: number };
}

// csv-parse over a hand-written parser: RFC 4180 quoting (quotes, doubled quotes, line breaks inside
// fields) split across arbitrary chunk boundaries is where hand-written CSV readers break.
function rows(input: ParserInput): AsyncIterable<CsvRow> {
  return Readable.from(input, { objectMode: false }).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: false }),
  );
}

/**
 * Parses CSV with a header row as a stream, one entity per row of `mapping.schema`: the id comes from
 * `idColumn`, mapped cells become properties (empty cells dropped, `;` separating several values).
 * A row with a missing id, a wrong number of fields or invalid properties is `rejected` with its
 * 1-based line number; malformed quoting ends the parse with a rejected event for that line.
 */
export async function* parseCsv(input: ParserInput, mapping: CsvMapping): AsyncGenerator<ParseEvent> {
  let header: string[] | null = null;
  let idAt = -1;
  let lastLine = 0;
  try {
    for await (const { record, info } of rows(input)) {
      const line = info.lines;
      if (header === null) {
        header = record.map((h) => h.trim());
        idAt = header.indexOf(mapping.idColumn);
        const missing = [mapping.idColumn, ...Object.keys(mapping.columns)].filter(
          (c) => !header?.includes(c),
        );
        if (missing.length > 0) {
          yield {
            type: 'rejected',
            index: line,
            reason: `header lacks mapped columns: ${missing.join(', ')}`,
          };
          return;
        }
        lastLine = line;
        continue;
      }
      // info.lines is the line a record ends on; line breaks inside quoted fields move its start up.
      const index = line - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      lastLine = line;
      if (record.length !== header.length) {
        yield {
          type: 'rejected',
          index,
          reason: `has ${record.length} fields, the header has ${header.length}`,
        };
        continue;
      }
      const id = record[idAt]?.trim();
      if (!id) {
        yield { type: 'rejected', index, reason: `${mapping.idColumn}: required (empty id)` };
        continue;
      }
      const properties: Record<string, string[]> = {};
      header.forEach((column, i) => {
        const property = mapping.columns[column];
        const cell = record[i];
        if (!property || cell === undefined) return;
        const values = cell
          .split(';')
          .map((v) => v.trim())
          .filter((v) => v.length > 0);
        if (values.length > 0) properties[property] = [...(properties[property] ?? []), ...values];
      });
      yield entityEvent(index, { externalId: id, schema: mapping.schema, properties });
    }
  } catch (error) {
    yield { type: 'rejected', index: lastLine + 1, reason: `malformed CSV: ${(error as Error).message}` };
  }
}

/**
 * The header of a CSV file from its first chunk (e.g. the first 64 KiB), for the mapping preview.
 * Returns an empty list when the chunk holds no complete header line.
 */
export async function csvColumns(firstChunk: string | Uint8Array): Promise<string[]> {
  const text = typeof firstChunk === 'string' ? firstChunk : new TextDecoder().decode(firstChunk);
  const firstBreak = text.search(/\r?\n/);
  // Only the header matters; a cut-off later line must not make the preview fail.
  const head = firstBreak === -1 ? text : text.slice(0, firstBreak);
  try {
    for await (const { record } of rows([head])) return record.map((h) => h.trim());
  } catch {
    return [];
  }
  return [];
}

const FIXED_COLUMNS = ['id', 'schema', 'caption', 'owner', 'tlp', 'codes', 'crime_areas'] as const;

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Serialises records as CSV lines (each ending in `\r\n`): a header (id, schema, caption, owner, tlp,
 * codes, crime_areas, then one `prop:<name>` column per property used by any record, sorted) and a
 * row per record, several values joined with `; `, quoted per RFC 4180.
 */
export function* toCsv(records: readonly ExportableRecord[]): Generator<string> {
  const propertyNames = [...new Set(records.flatMap((r) => Object.keys(r.properties)))].sort();
  yield `${[...FIXED_COLUMNS, ...propertyNames.map((p) => `prop:${p}`)].map(field).join(',')}\r\n`;
  for (const r of records) {
    const fixed = [
      r.id,
      r.schema,
      r.caption,
      r.owner.name,
      r.handling.tlp,
      r.handling.codes.join('; '),
      r.crimeAreas.join('; '),
    ];
    const values = propertyNames.map((p) => (r.properties[p] ?? []).join('; '));
    yield `${[...fixed, ...values].map(field).join(',')}\r\n`;
  }
}

/** The CSV mapping that reads a {@link toCsv} export of one schema back. */
export function exportMapping(schema: string, records: readonly ExportableRecord[]): CsvMapping {
  const names = [...new Set(records.flatMap((r) => Object.keys(r.properties)))];
  return { schema, idColumn: 'id', columns: Object.fromEntries(names.map((n) => [`prop:${n}`, n])) };
}
