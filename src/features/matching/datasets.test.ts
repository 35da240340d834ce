import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ftm from '@opensanctions/followthemoney';
import { afterAll, describe, expect, it } from 'vitest';
import {
  halfOf,
  loadFebrlDedup,
  loadFebrlLinkage,
  loadNamedDataset,
  loadOfacAliases,
  ofacCountryCode,
  splitDataset,
} from './datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'entente-datasets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FEBRL_HEADER =
  'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n';

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const model = new ftm.Model(ftm.defaultModel);

describe('FEBRL', () => {
  const a = write(
    'a.csv',
    FEBRL_HEADER +
      'rec-1-org, michaela, neumann, 8, stanley street, miami, winston hills, 4223, nsw, 19151111, 5304218\n' +
      'rec-2-org, courtney, painter, 12, pinkerton circuit, , richlands, 4560, vic, 19160231, 4066625\n',
  );
  const b = write(
    'b.csv',
    FEBRL_HEADER +
      'rec-2-dup-0, courtney, paintr, 12, pinkerton circuit, , richlands, 4560, vic, 19161214, 4066625\n' +
      'rec-1-dup-0, , neumann, , stanley st, miami, winston hills, 4223, nsw, , 5304218\n',
  );

  it('links records by number and reads them as FtM persons without the social security number', () => {
    const ds = loadFebrlLinkage(a, b);
    expect(ds.truth).toEqual([
      ['rec-1-org', 'rec-1-dup-0'],
      ['rec-2-org', 'rec-2-dup-0'],
    ]);
    const first = ds.left[0]!;
    expect(first.schema).toBe('Person');
    expect(first.properties).toEqual({
      firstName: ['michaela'],
      lastName: ['neumann'],
      name: ['michaela neumann'],
      birthDate: ['1915-11-11'],
      address: ['8 stanley street, miami, winston hills 4223 nsw'],
    });
    expect(JSON.stringify(ds)).not.toContain('5304218');
    const person = model.schemata.Person!;
    for (const e of [...ds.left, ...(ds.right ?? [])])
      for (const p of Object.keys(e.properties)) expect(person.getProperties().has(p)).toBe(true);
  });

  it('keeps the valid part of an impossible date and leaves empty fields out', () => {
    const ds = loadFebrlLinkage(a, b);
    expect(ds.left[1]!.properties.birthDate).toEqual(['1916-02']);
    expect(ds.right![1]!.properties).toEqual({
      lastName: ['neumann'],
      name: ['neumann'],
      address: ['stanley st, miami, winston hills 4223 nsw'],
    });
  });

  it('deduplicates a file into every pair of records sharing a number', () => {
    const file = write(
      'd.csv',
      FEBRL_HEADER +
        'rec-7-org, ana, berg, 1, a street, , town, 2000, nsw, 19700101, 1\n' +
        'rec-7-dup-0, ana, berg, 1, a street, , town, 2000, nsw, 19700101, 1\n' +
        'rec-8-org, bo, lind, 2, b street, , town, 2000, nsw, 19700102, 2\n' +
        'rec-7-dup-1, anna, berg, 1, a street, , town, 2000, nsw, 19700101, 1\n',
    );
    const ds = loadFebrlDedup(file);
    expect(ds.right).toBeUndefined();
    expect(ds.truth).toEqual([
      ['rec-7-org', 'rec-7-dup-0'],
      ['rec-7-org', 'rec-7-dup-1'],
      ['rec-7-dup-0', 'rec-7-dup-1'],
    ]);
  });
});

describe('OFAC aliases', () => {
  const ofac = join(dir, 'ofac');
  const files: Record<string, string> = {
    'targets.csv':
      'id,kind,name,birth_date,country,doc_number\n' +
      't1,person,"DAHIR, Ahmad",1972-06-20,Syria,A123456\n' +
      't2,entity,MEGATRADE,,"Korea, North",\n',
    'queries.csv':
      'id,kind,name,birth_date,country,doc_number\n' +
      'q1,entity,MEGA TRADE LLC,,Region: Kafia Kingi,77\n' +
      'q2,person,Ahmed DAHER,1972,,\n',
    'truth.csv': 'query_id,target_id\nq1,t2\nq2,t1\n',
  };

  it('reads persons and organizations with FtM properties, countries as codes, and the truth', () => {
    mkdirSync(ofac, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(ofac, name), text);
    const ds = loadOfacAliases(ofac);
    expect(ds.truth).toEqual([
      ['q1', 't2'],
      ['q2', 't1'],
    ]);
    expect(ds.right).toEqual([
      {
        id: 't1',
        schema: 'Person',
        properties: {
          name: ['DAHIR, Ahmad'],
          birthDate: ['1972-06-20'],
          nationality: ['sy'],
          idNumber: ['A123456'],
        },
      },
      { id: 't2', schema: 'Organization', properties: { name: ['MEGATRADE'], country: ['kp'] } },
    ]);
    // A region is not guessed into a country.
    expect(ds.left[0]!.properties).toEqual({ name: ['MEGA TRADE LLC'], registrationNumber: ['77'] });
    expect(ds.segments?.get('q1')).toBe('entity');
    expect(ds.segments?.get('q2')).toBe('person');
  });

  it('maps the list’s own country names', () => {
    expect(ofacCountryCode('Burma')).toBe('mm');
    expect(ofacCountryCode('Germany')).toBe('de');
    expect(ofacCountryCode('undetermined')).toBeUndefined();
    expect(ofacCountryCode('')).toBeUndefined();
  });

  it('splits queries by their listed party and keeps every target in both halves', () => {
    const ds = loadOfacAliases(ofac);
    const dev = splitDataset(ds, 'development');
    const val = splitDataset(ds, 'validation');
    expect(dev.right).toHaveLength(2);
    expect(val.right).toHaveLength(2);
    expect(dev.left.length + val.left.length).toBe(2);
    expect(dev.truth.length + val.truth.length).toBe(2);
    for (const [q, t] of dev.truth) {
      expect(halfOf(t)).toBe('development');
      expect(dev.left.some((e) => e.id === q)).toBe(true);
    }
  });
});

describe('splitDataset', () => {
  it('puts a record and its duplicates in the same half, about half of them in each', () => {
    const rows = Array.from(
      { length: 200 },
      (_, i) =>
        `rec-${i}-org, a${i}, b${i}, 1, s, , t, 2000, nsw, 19700101, 1\nrec-${i}-dup-0, a${i}, b${i}, 1, s, , t, 2000, nsw, 19700101, 1\n`,
    ).join('');
    const ds = loadFebrlDedup(write('many.csv', FEBRL_HEADER + rows));
    const dev = splitDataset(ds, 'development');
    const val = splitDataset(ds, 'validation');
    expect(dev.left.length + val.left.length).toBe(400);
    expect(dev.truth.length + val.truth.length).toBe(200);
    expect(dev.truth.length).toBeGreaterThan(70);
    expect(val.truth.length).toBeGreaterThan(70);
    expect(dev.name).toBe('febrl/development');
  });
});

describe('loadNamedDataset', () => {
  it('refuses a name it does not know', () => {
    expect(() => loadNamedDataset('nope' as 'ofac', dir)).toThrow(/Unknown/);
  });
});
