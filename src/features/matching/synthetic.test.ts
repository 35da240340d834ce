import { describe, expect, it } from 'vitest';
import { BlindEncoder } from './blind.js';
import { normalizeIban, normalizePhone } from './identifiers.js';
import { matchInputOf } from './input.js';
import {
  DEFAULT_ORGANIZATIONS,
  ibanOf,
  type SyntheticEntity,
  seededRandom,
  syntheticEntities,
  truthPairs,
} from './synthetic.js';

const take = (n: number, seed = 1, extra: Partial<Parameters<typeof syntheticEntities>[0]> = {}) => [
  ...syntheticEntities({ n, seed, ...extra }),
];

describe('synthetic entities', () => {
  const sample = take(20_000, 1, { window: 2000 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(take(300, 7)).toEqual(take(300, 7));
    expect(JSON.stringify(take(50, 8))).not.toEqual(JSON.stringify(take(50, 7)));
  });

  it('makes exactly n entities with positions in order and distinct ids', () => {
    expect(sample).toHaveLength(20_000);
    expect(sample.every((e, i) => e.index === i)).toBe(true);
    expect(new Set(sample.map((e) => e.id)).size).toBe(20_000);
    const schemata = new Map<string, number>();
    for (const e of sample) schemata.set(e.schema, (schemata.get(e.schema) ?? 0) + 1);
    expect(schemata.get('Person')! / 20_000).toBeGreaterThan(0.5);
    expect(schemata.get('Company')! / 20_000).toBeGreaterThan(0.25);
    expect(schemata.get('BankAccount')! / 20_000).toBeGreaterThan(0.04);
  });

  it('records about a tenth of parties in several organizations, never twice in one', () => {
    const clusters = new Map<number, SyntheticEntity[]>();
    for (const e of sample) clusters.set(e.cluster, [...(clusters.get(e.cluster) ?? []), e]);
    const multi = [...clusters.values()].filter((c) => c.length > 1);
    expect(multi.length / clusters.size).toBeGreaterThan(0.07);
    expect(multi.length / clusters.size).toBeLessThan(0.13);
    for (const c of multi) {
      expect(new Set(c.map((e) => e.organization)).size).toBe(c.length);
      expect(new Set(c.map((e) => e.schema)).size).toBe(1);
      // Later records come within the window of the first.
      expect(c.at(-1)!.index - c[0]!.index).toBeLessThanOrEqual(2001);
    }
    const pairs = truthPairs(sample);
    expect(pairs.length).toBeGreaterThan(multi.length);
    for (const [a, b] of pairs) {
      expect(a).toBeLessThan(b);
      expect(sample[a]!.cluster).toBe(sample[b]!.cluster);
      expect(sample[a]!.organization).not.toBe(sample[b]!.organization);
    }
    // The records of a pair differ as two agencies' records do: most names are written otherwise.
    const differentNames = pairs.filter(
      ([a, b]) =>
        sample[a]!.schema !== 'BankAccount' &&
        sample[a]!.properties.name![0] !== sample[b]!.properties.name![0],
    );
    const named = pairs.filter(([a]) => sample[a]!.schema !== 'BankAccount');
    expect(differentNames.length / named.length).toBeGreaterThan(0.4);
  });

  it('has Zipf-like names: a few very frequent surnames and a long tail', () => {
    const surnames = new Map<string, number>();
    let persons = 0;
    for (const e of sample) {
      if (e.schema !== 'Person') continue;
      persons++;
      for (const w of e.properties.name![0]!.toLowerCase().replace(',', '').split(' '))
        surnames.set(w, (surnames.get(w) ?? 0) + 1);
    }
    const counts = [...surnames.values()].sort((a, b) => b - a);
    // The commonest words ("mohammed", "wang"…) are carried by hundreds of persons…
    expect(counts[0]! / persons).toBeGreaterThan(0.01);
    // …while most words are carried by one or two.
    expect(counts.filter((c) => c <= 2).length / counts.length).toBeGreaterThan(0.5);
  });

  it('writes a share of names in Cyrillic and Arabic script', () => {
    const names = sample.flatMap((e) => e.properties.name ?? []);
    expect(names.filter((n) => /\p{Script=Cyrillic}/u.test(n)).length).toBeGreaterThan(200);
    expect(names.filter((n) => /\p{Script=Arabic}/u.test(n)).length).toBeGreaterThan(200);
  });

  it('makes phones, IBANs and documents that the normalizers accept in their various formats', () => {
    let phones = 0;
    let ibans = 0;
    for (const e of sample) {
      const owner = DEFAULT_ORGANIZATIONS[e.organization]!.country;
      for (const p of e.properties.phone ?? []) {
        phones++;
        expect(normalizePhone(p, owner), p).not.toBeNull();
      }
      for (const p of [...(e.properties.iban ?? []), ...(e.properties.accountNumber ?? [])]) {
        ibans++;
        expect(normalizeIban(p), p).not.toBeNull();
      }
    }
    expect(phones).toBeGreaterThan(2000);
    expect(ibans).toBeGreaterThan(500);
    // Identifiers belong to one party: different parties share an e-mail address only by rare accident.
    const owners = new Map<string, Set<number>>();
    for (const e of sample)
      for (const m of e.properties.email ?? [])
        owners.set(m.toLowerCase(), (owners.get(m.toLowerCase()) ?? new Set()).add(e.cluster));
    const shared = [...owners.values()].filter((c) => c.size > 1).length;
    expect(shared / owners.size).toBeLessThan(0.01);
    const random = seededRandom(3);
    for (const country of ['DE', 'GB', 'NL', 'AE'])
      expect(normalizeIban(ibanOf(random, country))).not.toBeNull();
  });

  it('gives the records of one party shared blind features most of the time', () => {
    const encoder = new BlindEncoder({ id: 'k', secret: new Uint8Array(32).fill(1) });
    const pairs = truthPairs(sample.slice(0, 5000));
    let sharing = 0;
    for (const [a, b] of pairs) {
      const [x, y] = [sample[a]!, sample[b]!].map((e) =>
        encoder.encode(matchInputOf(e.schema, e.properties, DEFAULT_ORGANIZATIONS[e.organization]!.country)),
      );
      const keys = new Set(x!.keys);
      if (y!.keys.some((k) => keys.has(k))) sharing++;
    }
    expect(pairs.length).toBeGreaterThan(50);
    expect(sharing / pairs.length).toBeGreaterThan(0.9);
  });

  it('lists true pairs across organizations only', () => {
    const e = (index: number, cluster: number, organization: number, clusterSize: number) => ({
      index,
      cluster,
      organization,
      clusterSize,
    });
    expect(
      truthPairs([e(0, 0, 0, 3), e(1, 1, 0, 1), e(2, 0, 1, 3), e(3, 2, 1, 2), e(4, 0, 0, 3), e(5, 2, 2, 2)]),
    ).toEqual([
      [0, 2],
      [2, 4],
      [3, 5],
    ]);
  });

  it('needs two organizations', () => {
    expect(() => take(1, 1, { organizations: [{ name: 'Only', country: 'ES' }] })).toThrow(
      /two organizations/,
    );
  });
});
