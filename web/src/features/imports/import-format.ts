import type { ImportFormat } from '../../api/types.js';

/** How many bytes of the file the wizard reads for detection and previews (the server's preview limit). */
export const PREVIEW_BYTES = 64 * 1024;

/**
 * The import format a file most likely holds, from its name and first bytes: `.jsonl` and
 * `.ftm.json` are FollowTheMoney lines, `.json` is a STIX bundle when it says `"type": "bundle"`
 * and a MISP event otherwise, `.csv` is CSV. Anything else is left for the user to choose (null).
 */
export function detectFormat(fileName: string, head: string): ImportFormat | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.jsonl') || name.endsWith('.ftm.json') || name.endsWith('.ndjson')) return 'ftm';
  if (name.endsWith('.json')) return /"type"\s*:\s*"bundle"/.test(head) ? 'stix' : 'misp';
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'csv';
  return null;
}

/**
 * The first rows of a CSV text (quoted fields, doubled quotes, CRLF; `,` or `;` as the header
 * suggests). A last line cut off by the preview limit is dropped rather than shown half.
 */
export function parseCsvHead(text: string, maxRows = 6, truncated = false): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n/) >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let complete = true;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < body.length && rows.length < maxRows) {
    const c = body[i] as string;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i += 1;
  }
  if (rows.length < maxRows && (field !== '' || row.length > 0)) {
    complete = !truncated && !quoted;
    if (complete) {
      row.push(field);
      rows.push(row);
    }
  }
  return rows;
}

/** The header and the rows after it; blank lines are left out. */
export function csvPreview(
  text: string,
  maxRows = 5,
  truncated = false,
): { columns: string[]; rows: string[][] } {
  const all = parseCsvHead(text, maxRows + 1, truncated).filter((r) => r.some((v) => v.trim() !== ''));
  const [header = [], ...rows] = all;
  return { columns: header.map((h) => h.trim()), rows };
}

/** A JSON header value in plain ASCII: HTTP header values may not carry other characters. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
