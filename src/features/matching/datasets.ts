import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { normalizeCountryCode, parsePartialDate } from './identifiers.js';

/*
 * Labelled linkage data sets read into FollowTheMoney-shaped entities, so that their evaluation
 * goes through the same path as stored records: entity → `matchInputOf` → blind encoding → index
 * and score. The truth is returned apart and is only ever used for counting.
 *
 * - FEBRL (Christen's Febrl generator): `dataset4a.csv` ↔ `dataset4b.csv` (each original in 4a has
 *   one duplicate in 4b) and the deduplication sets `dataset1.csv`, `dataset2.csv` (originals and
 *   their duplicates in one file). `soc_sec_id` is never read: the task is to link without it.
 * - OFAC aliases (`aliases-ofac/`, see its README): alias records (queries) of listed persons and
 *   companies, to be linked to the primary records (targets).
 */

export type DatasetSchema = 'Person' | 'Company' | 'Organization' | 'LegalEntity';

/** A record as FollowTheMoney holds it: real property names, every value a string. */
export interface DatasetEntity {
  readonly id: string;
  readonly schema: DatasetSchema;
  readonly properties: Record<string, string[]>;
}

/**
 * A labelled data set. `right` present: link each left entity to right ones (two organizations).
 * `right` absent: deduplicate `left` (true pairs inside one organization, in either order).
 */
export interface LinkageDataset {
  readonly name: string;
  readonly left: readonly DatasetEntity[];
  readonly right?: readonly DatasetEntity[];
  readonly truth: readonly (readonly [string, string])[];
  /** Label of a left id for breaking results down (OFAC: person or entity). */
  readonly segments?: ReadonlyMap<string, string>;
  /**
   * The unit a split into halves keeps together, per entity id (a FEBRL record and its duplicates;
   * an alias and its listed party). Entities without one belong to both halves (the OFAC targets:
   * every query is ranked against the whole list).
   */
  readonly splitUnits: ReadonlyMap<string, string>;
}

/** The data sets `loadNamedDataset` knows, by name. */
export const DATASET_NAMES = ['febrl4', 'febrl1', 'febrl2', 'ofac'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

type Row = Record<string, string>;

function readRows(file: string): Row[] {
  const rows = parse(readFileSync(file), {
    bom: true,
    columns: (header: string[]) => header.map((h) => h.trim()),
    skip_empty_lines: true,
    trim: true,
  }) as Row[];
  return rows;
}

function put(properties: Record<string, string[]>, name: string, value: string | undefined): void {
  const v = value?.trim();
  if (!v) return;
  const list = properties[name];
  if (list) {
    if (!list.includes(v)) list.push(v);
  } else properties[name] = [v];
}

/** A FEBRL date (YYYYMMDD, sometimes corrupted) as the most precise valid ISO prefix, or undefined. */
function febrlDate(raw: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw?.trim() ?? '');
  if (!m) return undefined;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  for (const candidate of [`${y}-${mo}-${d}`, `${y}-${mo}`, y]) {
    if (parsePartialDate(candidate)) return candidate;
  }
  return undefined;
}

/** A FEBRL record number and whether it is an original: "rec-12-dup-0" → 12. */
function febrlRecord(id: string): string {
  const m = /^rec-(\d+)-/.exec(id);
  if (!m) throw new Error(`Not a FEBRL record id: ${id}`);
  return m[1]!;
}

function febrlEntity(row: Row): DatasetEntity {
  const id = row.rec_id ?? '';
  const properties: Record<string, string[]> = {};
  const given = row.given_name?.trim() ?? '';
  const surname = row.surname?.trim() ?? '';
  put(properties, 'firstName', given);
  put(properties, 'lastName', surname);
  put(properties, 'name', `${given} ${surname}`.trim());
  put(properties, 'birthDate', febrlDate(row.date_of_birth));
  // One address line as a form would hold it: street, locality, town, postcode, state.
  const street = [row.street_number, row.address_1].filter((s) => s?.trim()).join(' ');
  const address = [
    street,
    row.address_2,
    [row.suburb, row.postcode, row.state].filter((s) => s?.trim()).join(' '),
  ]
    .filter((s) => s?.trim())
    .join(', ');
  put(properties, 'address', address);
  return { id, schema: 'Person', properties };
}

function febrlRows(file: string): Row[] {
  return readRows(file).filter((r) => r.rec_id);
}

/**
 * FEBRL linkage of two files (4a ↔ 4b): true pairs are the records with the same number
 * ("rec-12-org" ↔ "rec-12-dup-0"). `soc_sec_id` is not read.
 */
export function loadFebrlLinkage(leftFile: string, rightFile: string, name = 'febrl4'): LinkageDataset {
  const left = febrlRows(leftFile).map(febrlEntity);
  const right = febrlRows(rightFile).map(febrlEntity);
  const byRecord = new Map<string, string[]>();
  for (const e of right) {
    const list = byRecord.get(febrlRecord(e.id)) ?? [];
    list.push(e.id);
    byRecord.set(febrlRecord(e.id), list);
  }
  const truth: [string, string][] = [];
  for (const e of left) for (const r of byRecord.get(febrlRecord(e.id)) ?? []) truth.push([e.id, r]);
  const splitUnits = new Map<string, string>();
  for (const e of [...left, ...right]) splitUnits.set(e.id, febrlRecord(e.id));
  return { name, left, right, truth, splitUnits };
}

/**
 * FEBRL deduplication of one file: true pairs are all pairs of records with the same number (an
 * original and its duplicates, and the duplicates among themselves).
 */
export function loadFebrlDedup(file: string, name = 'febrl'): LinkageDataset {
  const left = febrlRows(file).map(febrlEntity);
  const groups = new Map<string, string[]>();
  for (const e of left) {
    const list = groups.get(febrlRecord(e.id)) ?? [];
    list.push(e.id);
    groups.set(febrlRecord(e.id), list);
  }
  const truth: [string, string][] = [];
  for (const ids of groups.values()) {
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) truth.push([ids[i]!, ids[j]!]);
  }
  const splitUnits = new Map<string, string>(left.map((e) => [e.id, febrlRecord(e.id)]));
  return { name, left, truth, splitUnits };
}

// Country names of the OFAC list that are not FollowTheMoney labels. Regions and "undetermined"
// are left out rather than guessed.
const OFAC_COUNTRIES: Record<string, string> = {
  'korea, north': 'kp',
  'korea, south': 'kr',
  'congo, democratic republic of the': 'cd',
  'congo, republic of the': 'cg',
  turkey: 'tr',
  palestinian: 'ps',
  'possibly palestinian': 'ps',
  'region: gaza': 'ps',
  'west bank': 'ps',
  'region: northern mali': 'ml',
  burma: 'mm',
  'hong kong': 'hk',
  'the gambia': 'gm',
  'bahamas, the': 'bs',
  'virgin islands, british': 'vg',
  'man, isle of': 'im',
  'cabo verde': 'cv',
  'czech republic': 'cz',
  'macedonia, the former yugoslav republic of': 'mk',
};

/** An OFAC country name as a FollowTheMoney country code (lower case), or undefined. */
export function ofacCountryCode(raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  const code = OFAC_COUNTRIES[text.toLowerCase()] ?? normalizeCountryCode(text)?.toLowerCase();
  return code ?? undefined;
}

function ofacEntity(row: Row): DatasetEntity {
  const person = row.kind === 'person';
  const properties: Record<string, string[]> = {};
  put(properties, 'name', row.name);
  put(properties, 'birthDate', person ? row.birth_date : undefined);
  // A person's country in the set is a nationality (else citizenship, else address); a company's
  // is its first address country.
  put(properties, person ? 'nationality' : 'country', ofacCountryCode(row.country));
  // The set does not say which document a person's number is on (passport, national id, cedula).
  put(properties, person ? 'idNumber' : 'registrationNumber', row.doc_number);
  // The list does not tell companies from other organizations.
  return { id: row.id ?? '', schema: person ? 'Person' : 'Organization', properties };
}

/**
 * The OFAC alias set of a directory holding `queries.csv`, `targets.csv` and `truth.csv`: left are
 * the aliases, right the listed parties, segments "person" and "entity". `query_types.csv` is not
 * read (not a matching input).
 */
export function loadOfacAliases(dir: string, name = 'ofac'): LinkageDataset {
  const queries = readRows(join(dir, 'queries.csv'));
  const targets = readRows(join(dir, 'targets.csv'));
  const truth = readRows(join(dir, 'truth.csv')).map((r) => [r.query_id ?? '', r.target_id ?? ''] as const);
  const segments = new Map<string, string>(queries.map((r) => [r.id ?? '', r.kind ?? '']));
  const splitUnits = new Map<string, string>(truth.map(([q, t]) => [q, t]));
  return {
    name,
    left: queries.map(ofacEntity),
    right: targets.map(ofacEntity),
    truth,
    segments,
    splitUnits,
  };
}

/** Loads a data set by name from the shared data directory (holding `febrl/` and `aliases-ofac/`). */
export function loadNamedDataset(name: DatasetName, dataDir: string): LinkageDataset {
  switch (name) {
    case 'febrl4':
      return loadFebrlLinkage(
        join(dataDir, 'febrl', 'dataset4a.csv'),
        join(dataDir, 'febrl', 'dataset4b.csv'),
        'febrl4',
      );
    case 'febrl1':
      return loadFebrlDedup(join(dataDir, 'febrl', 'dataset1.csv'), 'febrl1');
    case 'febrl2':
      return loadFebrlDedup(join(dataDir, 'febrl', 'dataset2.csv'), 'febrl2');
    case 'ofac':
      return loadOfacAliases(join(dataDir, 'aliases-ofac'), 'ofac');
    default: {
      const unknown: never = name;
      throw new Error(`Unknown data set ${String(unknown)}`);
    }
  }
}

export type DatasetHalf = 'development' | 'validation';

/** Which half a split unit falls in: FNV-1a of its text, so the split is fixed and independent of file order. */
export function halfOf(unit: string): DatasetHalf {
  let h = 0x811c9dc5;
  for (let i = 0; i < unit.length; i++) {
    h ^= unit.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h & 1) === 0 ? 'development' : 'validation';
}

/**
 * One half of a data set: the entities whose split unit falls in that half, the entities without a
 * unit (kept in both), and the true pairs between what is kept. The development half is where the
 * configuration is chosen; the validation half is only measured.
 */
export function splitDataset(dataset: LinkageDataset, half: DatasetHalf): LinkageDataset {
  const keep = (e: DatasetEntity) => {
    const unit = dataset.splitUnits.get(e.id);
    return unit === undefined || halfOf(unit) === half;
  };
  const left = dataset.left.filter(keep);
  const right = dataset.right?.filter(keep);
  const kept = new Set([...left, ...(right ?? [])].map((e) => e.id));
  return {
    ...dataset,
    name: `${dataset.name}/${half}`,
    left,
    ...(right ? { right } : {}),
    truth: dataset.truth.filter(([a, b]) => kept.has(a) && kept.has(b)),
  };
}
