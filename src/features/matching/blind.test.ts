import { describe, expect, it } from 'vitest';
import {
  BlindEncoder,
  type BlindKey,
  blockingKeysOf,
  DEFAULT_ENCODING,
  type EncodedEntity,
  featureIdsOf,
  filterFromBase64,
  filterToBase64,
  type MatchInput,
} from './blind.js';

const KEY: BlindKey = { id: 'k1', secret: new Uint8Array(32).fill(7) };
const OTHER_KEY: BlindKey = { id: 'k2', secret: new Uint8Array(32).fill(9) };

// A fictional person.
const PERSON: MatchInput = {
  kind: 'person',
  names: ['Marta Kowalczyk-Novak', 'Марта Ковальчик'],
  birthDates: [{ year: 1979, month: 4, day: 23 }],
  countries: ['PL'],
  identifiers: [
    { kind: 'passport', value: 'PL:ZX1234567' },
    { kind: 'phone', value: '+48601234567' },
  ],
  addresses: ['ul. Lipowa 14, 00-123 Warszawa'],
};

function popcount(bits: Uint32Array): number {
  let n = 0;
  for (const w of bits) {
    let v = w;
    while (v) {
      v &= v - 1;
      n++;
    }
  }
  return n;
}

function dice(a: string, b: string): number {
  const x = filterFromBase64(a);
  const y = filterFromBase64(b);
  const common = popcount(x.map((w, i) => w & y[i]!));
  return (2 * common) / (popcount(x) + popcount(y));
}

/** Every string anywhere in an encoding. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('BlindEncoder', () => {
  it('is deterministic for one key, across encoder instances', () => {
    const a = new BlindEncoder(KEY).encode(PERSON);
    const b = new BlindEncoder(KEY).encode(PERSON);
    expect(b).toEqual(a);
  });

  it('gives unrelated ids and filters under another key, and records the key id', () => {
    const a = new BlindEncoder(KEY).encode(PERSON);
    const b = new BlindEncoder(OTHER_KEY).encode(PERSON);
    expect(a.keyId).toBe('k1');
    expect(b.keyId).toBe('k2');
    const idsA = new Set(featureIdsOf(a));
    expect(featureIdsOf(b).some((id) => idsA.has(id))).toBe(false);
    expect(a.names[0]?.filter).not.toBe(b.names[0]?.filter);
  });

  it('refuses short secrets and unaligned filter sizes', () => {
    expect(() => new BlindEncoder({ id: 'weak', secret: new Uint8Array(16) })).toThrow();
    expect(() => new BlindEncoder(KEY, { ...DEFAULT_ENCODING, name: { bits: 500, hashes: 5 } })).toThrow();
  });

  it('holds no raw or normalized value: only keyed ids, filters and kinds', () => {
    const encoded = new BlindEncoder(KEY).encode(PERSON);
    const all = strings(encoded);
    // Keyed ids, and blocking keys: a type letter and a keyed id.
    const ids = all.filter((s) => /^[nsdbia]?[A-Za-z0-9_-]{16}$/.test(s));
    const filters = all.filter((s) => s.length > 16 && /^[A-Za-z0-9+/]+=*$/.test(s));
    for (const f of filters) expect(filterFromBase64(f).length).toBeGreaterThan(0);
    // Everything else is in clear text, and is only the key id and kinds: entity, identifier,
    // compound and date-precision kinds.
    const clear = all.filter((s) => !ids.includes(s) && !filters.includes(s));
    expect(new Set(clear)).toEqual(
      new Set(['k1', 'person', 'passport', 'phone', 'joined', 'skeleton', 'day']),
    );
    expect(ids.length).toBeGreaterThan(20);
  });

  it('marks the generic words of an organization name, and keys a joined run by its skeleton too', () => {
    const enc = new BlindEncoder(KEY);
    const org = enc.encode({ kind: 'organization', names: ['Fleurette Trading Bank'] });
    expect(org.names[0]?.tokens.map((t) => t.generic === true)).toEqual([false, true, true]);
    const joined = enc.encode({ kind: 'person', names: ['Kheir Beik'] });
    const single = enc.encode({ kind: 'person', names: ['Khayrbik'] });
    const skeleton = joined.names[0]?.compounds.find((c) => c.kind === 'skeleton');
    expect(skeleton?.id).toBe(single.names[0]?.tokens[0]?.skeleton);
    // The skeleton key of the joined run is the skeleton key of the single word: they are candidates.
    expect(joined.keys.filter((k) => single.keys.includes(k)).length).toBeGreaterThan(0);
  });

  it('encodes the same value the same way in any script or order', () => {
    const enc = new BlindEncoder(KEY);
    const a = enc.encode({ kind: 'person', names: ['Иванов Сергей'] });
    const b = enc.encode({ kind: 'person', names: ['SERGEY IVANOV'] });
    const ta = new Set(a.names[0]?.tokens.map((t) => t.id));
    expect(b.names[0]?.tokens.every((t) => ta.has(t.id))).toBe(true);
    expect(dice(a.names[0]!.filter, b.names[0]!.filter)).toBe(1);
  });

  it('keeps similar names similar and different names apart (Dice of whole-name filters)', () => {
    const enc = new BlindEncoder(KEY);
    const name = (n: string) => enc.encode({ kind: 'person', names: [n] }).names[0]!.filter;
    const same = dice(name('Katarzyna Wiśniewska'), name('Katarzyna Wisniewski'));
    const typo = dice(name('Jonathan Pemberton'), name('Jonatan Pemberten'));
    const other = dice(name('Jonathan Pemberton'), name('Oksana Dzhabarova'));
    expect(same).toBeGreaterThan(0.8);
    expect(typo).toBeGreaterThan(0.7);
    expect(other).toBeLessThan(0.35);
  });

  it('gives each field its own bigram positions', () => {
    const enc = new BlindEncoder(KEY);
    const e = enc.encode({ kind: 'person', names: ['Lindqvist'], addresses: ['Lindqvist'] });
    expect(e.names[0]?.tokens[0]?.id).not.toBe(e.addresses[0]?.tokens[0]?.id);
    expect(dice(e.names[0]!.tokens[0]!.filter, e.addresses[0]!.tokens[0]!.filter)).toBeLessThan(0.5);
  });

  it('encodes dates at their precision, with near-miss ids only for full dates', () => {
    const enc = new BlindEncoder(KEY);
    const dates = enc.encode({
      kind: 'person',
      names: ['x y'],
      birthDates: [{ year: 1980 }, { year: 1981, month: 2 }, { year: 1982, month: 3, day: 4 }],
    }).birthDates;
    expect(dates.map((d) => d.precision)).toEqual(['year', 'month', 'day']);
    expect(dates[0]?.month).toBeUndefined();
    expect(dates[0]?.nextYear).toBe(enc.keyed('dob-year', '1981'));
    expect(dates[1]?.year).toBe(enc.keyed('dob-year', '1981'));
    expect(dates[2]?.near).toHaveLength(9);
    // One digit apart, or day and month exchanged: a near id in common.
    const near = (d: { year: number; month: number; day: number }) =>
      new Set<string>(
        enc.encode({ kind: 'person', names: ['x'], birthDates: [d] }).birthDates[0]?.near ?? [],
      );
    const base = near({ year: 1982, month: 3, day: 4 });
    const shared = (o: Set<string>) => [...o].filter((x) => base.has(x)).length;
    expect(shared(near({ year: 1982, month: 3, day: 5 }))).toBe(1);
    expect(shared(near({ year: 1982, month: 4, day: 3 }))).toBe(1);
    expect(shared(near({ year: 1975, month: 11, day: 28 }))).toBe(0);
  });

  it('drops invalid dates, empty names and duplicate values', () => {
    const e = new BlindEncoder(KEY).encode({
      kind: 'person',
      names: ['', '---', 'Ana Lima', 'LIMA, Ana'],
      birthDates: [{ year: 0 }, { year: 1990, month: 13 }, { year: 1990, month: 13 }],
      countries: ['br', 'BR', ''],
      identifiers: [
        { kind: 'phone', value: '+5511999999999' },
        { kind: 'phone', value: '+5511999999999' },
        { kind: 'email', value: '' },
      ],
    });
    expect(e.names).toHaveLength(1);
    expect(e.birthDates).toHaveLength(1);
    expect(e.birthDates[0]?.precision).toBe('year');
    expect(e.countries).toHaveLength(1);
    expect(e.identifiers).toHaveLength(1);
  });

  it('keys identifier values by kind: the same digits as phone and as passport never meet', () => {
    const enc = new BlindEncoder(KEY);
    expect(enc.keyed('id:phone', '123456')).not.toBe(enc.keyed('id:passport', '123456'));
  });

  it('typed blocking keys cover tokens, skeletons, dates, identifiers and address words', () => {
    const e: EncodedEntity = new BlindEncoder(KEY).encode(PERSON);
    const types = new Set(blockingKeysOf(e).map((k) => k[0]));
    expect(types).toEqual(new Set(['n', 's', 'd', 'b', 'i', 'a']));
    // No key for the year or the country alone: they would select a large share of everything.
    const enc = new BlindEncoder(KEY);
    const keys = new Set(blockingKeysOf(e).map((k) => k.slice(1)));
    expect(keys.has(enc.keyed('dob-year', '1979'))).toBe(false);
    expect(keys.has(enc.keyed('country', 'PL'))).toBe(false);
  });
});

describe('filter encoding', () => {
  it('round-trips through base64', () => {
    const bits = Uint32Array.from([0, 1, 0xffffffff, 0x80000000]);
    expect(filterFromBase64(filterToBase64(bits))).toEqual(bits);
    expect(() => filterFromBase64('AAA')).toThrow();
  });
});
