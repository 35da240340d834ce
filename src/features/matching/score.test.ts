import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlindEncoder, type BlindKey, type EncodedEntity, type MatchInput } from './blind.js';
import {
  CandidateIndex,
  DEFAULT_CANDIDATES,
  DEFAULT_MATCH_CONFIG,
  idNumber,
  matchedFeatures,
  newScoreDetail,
  type PreparedEntity,
  packPrepared,
  prepareEntity,
  type RarityTable,
  scorePair,
  unpackPrepared,
} from './score.js';

const KEY: BlindKey = { id: 'test-key', secret: new Uint8Array(32).fill(3) };
const encoder = new BlindEncoder(KEY);

// A fictional population: names common and rare, so that rarity weights mean something.
const GIVEN = ['John', 'Maria', 'Ahmed', 'Anna', 'Ivan', 'Fatima', 'Carlos', 'Olga', 'Peter', 'Leila'];
const FAMILY = [
  'Smith',
  'Garcia',
  'Hassan',
  'Petrov',
  'Novak',
  'Silva',
  'Kowalski',
  'Haddad',
  'Jensen',
  'Rossi',
];
function population(): MatchInput[] {
  const out: MatchInput[] = [];
  for (let i = 0; i < 400; i++) {
    out.push({
      kind: 'person',
      names: [`${GIVEN[i % GIVEN.length]} ${FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]}`],
      birthDates: [{ year: 1950 + (i % 50), month: 1 + (i % 12), day: 1 + (i % 28) }],
      countries: [['FR', 'DE', 'ES', 'IT'][i % 4]!],
    });
  }
  return out;
}

function indexOf(inputs: readonly MatchInput[]): CandidateIndex {
  const index = new CandidateIndex();
  for (const input of inputs) index.add(encoder.encode(input), 0);
  return index;
}

const INDEX = indexOf(population());

function prepared(input: MatchInput, rarity: RarityTable = INDEX): PreparedEntity {
  return prepareEntity(encoder.encode(input), rarity);
}

function score(a: MatchInput, b: MatchInput): number {
  return scorePair(prepared(a), prepared(b), newScoreDetail());
}

function person(name: string, extra: Partial<MatchInput> = {}): MatchInput {
  return { kind: 'person', names: [name], ...extra };
}

describe('scorePair', () => {
  it('scores the same person high and lists what matched', () => {
    const a = person('Zofia Wierzbicka', {
      birthDates: [{ year: 1981, month: 6, day: 2 }],
      identifiers: [{ kind: 'passport', value: 'PL:AB1234567' }],
      countries: ['PL'],
    });
    const detail = newScoreDetail();
    const s = scorePair(prepared(a), prepared(a), detail);
    expect(s).toBeGreaterThan(0.99);
    expect(matchedFeatures(detail, prepared(a))).toEqual(['passport', 'name', 'date of birth', 'country']);
  });

  it('scores different people low', () => {
    expect(score(person('Zofia Wierzbicka'), person('Tobias Lindqvist'))).toBeLessThan(0.01);
  });

  it('ignores token order, case and accents', () => {
    const a = person('WIERZBICKA, Zofia');
    const b = person('zofia wierzbicka');
    expect(score(a, b)).toBeCloseTo(score(a, a), 6);
  });

  it('matches names across scripts by their blind encodings', () => {
    const pairs: [string, string][] = [
      ['Дмитрий Волконский', 'Dmitriy Volkonskiy'],
      ['Αλέξανδρος Καραγιάννης', 'Alexandros Karagiannis'],
      ['محمد الزهراني', 'Mohammed al-Zahrani'],
      ['يوسف القحطاني', 'Yousef Al Qahtani'],
    ];
    for (const [x, y] of pairs) {
      const same = score(person(x), person(y));
      const other = score(person(x), person('Tobias Lindqvist'));
      expect(same).toBeGreaterThan(other);
      expect(same).toBeGreaterThan(0.5);
    }
  });

  it('weighs a shared rare token above a shared common one', () => {
    const q = person('John Wierzbicki');
    const rare = score(q, person('Peter Wierzbicki'));
    const common = score(q, person('John Kowalczyk'));
    expect(rare).toBeGreaterThan(common);
  });

  it('matches an acronym to the long form of an organization', () => {
    const long: MatchInput = { kind: 'organization', names: ['Northern Maritime Freight Corporation'] };
    const short: MatchInput = { kind: 'organization', names: ['NMF'] };
    const other: MatchInput = { kind: 'organization', names: ['Southern Cross Timber'] };
    const detail = newScoreDetail();
    const s = scorePair(prepared(short), prepared(long), detail);
    expect(s).toBeGreaterThan(score(short, other));
    expect(matchedFeatures(detail, prepared(short))).toContain('name (acronym)');
  });

  it('matches split and joined words', () => {
    const a: MatchInput = { kind: 'organization', names: ['Petro Plus Trading'] };
    const b: MatchInput = { kind: 'organization', names: ['Petroplus Trading Ltd'] };
    expect(score(a, b)).toBeGreaterThan(0.5);
  });

  it('matches a joined pair of words to a one-word spelling with other vowels (by skeleton)', () => {
    const joined = person('Kheir Beik');
    expect(score(joined, person('Khayrbik'))).toBeGreaterThan(score(joined, person('Khalid Bakr')));
  });

  it('weighs generic words of organization names less than distinctive ones', () => {
    const org = (name: string): MatchInput => ({ kind: 'organization', names: [name] });
    const plain = { ...DEFAULT_MATCH_CONFIG, genericWeightFactor: 1 };
    // Weights are resolved when an entity is prepared, so both sides are prepared under the config.
    const nameEvidence = (x: MatchInput, y: MatchInput, config = DEFAULT_MATCH_CONFIG) => {
      const detail = newScoreDetail();
      scorePair(
        prepareEntity(encoder.encode(x), INDEX, config),
        prepareEntity(encoder.encode(y), INDEX, config),
        detail,
        config,
      );
      return detail.nameEvidence;
    };
    // In this small index neither word has been seen: only the generic factor tells them apart.
    const q = org('Atlas Trading');
    const sharesDistinctive = org('Atlas Shipping');
    const sharesGeneric = org('Borealis Trading');
    expect(nameEvidence(q, sharesDistinctive, plain)).toBeCloseTo(nameEvidence(q, sharesGeneric, plain), 6);
    expect(nameEvidence(q, sharesDistinctive)).toBeGreaterThan(nameEvidence(q, sharesGeneric) + 1);
  });

  it('never compares a person with an organization', () => {
    const p = person('Atlas Group');
    const o: MatchInput = { kind: 'organization', names: ['Atlas Group'] };
    expect(score(p, o)).toBe(0);
  });

  it('takes the best of several names (aliases)', () => {
    const a = person('Tobias Lindqvist');
    const b: MatchInput = { kind: 'person', names: ['Kalle Anka', 'Tobias Lindqvist'] };
    expect(score(a, b)).toBeCloseTo(score(a, a), 6);
  });

  it('lets identifiers decide when names are another alias altogether', () => {
    const doc = [{ kind: 'passport', value: 'ZZ:998877' }];
    const a = person('Tobias Lindqvist', { identifiers: doc });
    const b = person('Kalle Anka', { identifiers: doc });
    const detail = newScoreDetail();
    expect(scorePair(prepared(a), prepared(b), detail)).toBeGreaterThan(0.5);
    expect(matchedFeatures(detail, prepared(a))).toEqual(['passport']);
    // A different number of the same kind counts against.
    const c = person('Tobias Lindqvist', { identifiers: [{ kind: 'passport', value: 'ZZ:112233' }] });
    expect(score(a, c)).toBeLessThan(score(a, person('Tobias Lindqvist')));
  });

  it('grades birth dates: full agreement, year only, one typo, disagreement', () => {
    const base = (d: MatchInput['birthDates']) => person('Tobias Lindqvist', { birthDates: d });
    const q = base([{ year: 1970, month: 5, day: 17 }]);
    const full = score(q, base([{ year: 1970, month: 5, day: 17 }]));
    const typo = score(q, base([{ year: 1970, month: 5, day: 18 }]));
    const swapped = score(base([{ year: 1970, month: 5, day: 7 }]), base([{ year: 1970, month: 7, day: 5 }]));
    const year = score(q, base([{ year: 1970 }]));
    const none = score(q, person('Tobias Lindqvist'));
    const wrong = score(q, base([{ year: 1944, month: 11, day: 2 }]));
    expect(full).toBeGreaterThan(year);
    expect(full).toBeGreaterThan(typo);
    expect(typo).toBeGreaterThan(none);
    expect(swapped).toBeGreaterThan(none);
    expect(year).toBeGreaterThan(none);
    expect(none).toBeGreaterThan(wrong);
  });

  it('counts a shared country for and a different one against', () => {
    const a = person('Tobias Lindqvist', { countries: ['SE'] });
    expect(score(a, person('Tobias Lindqvist', { countries: ['SE'] }))).toBeGreaterThan(
      score(a, person('Tobias Lindqvist')),
    );
    expect(score(a, person('Tobias Lindqvist', { countries: ['NO'] }))).toBeLessThan(
      score(a, person('Tobias Lindqvist')),
    );
  });

  it('compares addresses as rarity-weighted word sets', () => {
    const at = (address: string) => person('Ana Lima', { addresses: [address] });
    const q = at('14 Rua das Flores, 4050-262 Porto');
    expect(score(q, at('Rua das Flores 14, Porto 4050-262'))).toBeGreaterThan(
      score(q, at('7 Avenida Central, Faro')),
    );
  });

  it('is symmetric and stays in [0, 1]', () => {
    const names = ['Tobias Lindqvist', 'Marta Kowalczyk', 'محمد حسن', 'Ivan Petrov', 'Northern Maritime'];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.constantFrom(...names),
        fc.integer({ min: 1950, max: 1990 }),
        (x, y, year) => {
          const a = prepared(person(x, { birthDates: [{ year }] }));
          const b = prepared(person(y));
          const s1 = scorePair(a, b, newScoreDetail());
          const s2 = scorePair(b, a, newScoreDetail());
          expect(s1).toBeCloseTo(s2, 9);
          expect(s1).toBeGreaterThanOrEqual(0);
          expect(s1).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reuses the detail holder without carrying results over', () => {
    const detail = newScoreDetail();
    const doc = [{ kind: 'passport', value: 'ZZ:1' }];
    scorePair(
      prepared(person('Ana Lima', { identifiers: doc })),
      prepared(person('Ana Lima', { identifiers: doc })),
      detail,
    );
    expect(detail.identifiersMatched).toEqual([0]);
    scorePair(prepared(person('Ana Lima')), prepared(person('Tobias Lindqvist')), detail);
    expect(detail.identifiersMatched).toEqual([]);
    expect(detail.matched).toBe(0);
  });
});

describe('prepareEntity', () => {
  it('weighs by rarity in the population given', () => {
    const common = prepared(person('John Smith'));
    const rare = prepared(person('Tobias Lindqvist'));
    expect(common.names.tokenWeight[0]!).toBeLessThan(rare.names.tokenWeight[0]!);
  });

  it('caps weights', () => {
    const p = prepareEntity(encoder.encode(person('Tobias Lindqvist')), { population: 1e12, count: () => 0 });
    expect(p.names.tokenWeight[0]).toBe(
      DEFAULT_MATCH_CONFIG.maxWeight - DEFAULT_MATCH_CONFIG.tokenWeightOffset,
    );
  });

  it('rejects what is not a keyed id', () => {
    expect(() => idNumber('not an id!')).toThrow();
  });
});

describe('packPrepared', () => {
  it('round-trips: an unpacked entity scores exactly as the prepared one', () => {
    const inputs: MatchInput[] = [
      person('Zofia Wierzbicka', {
        birthDates: [{ year: 1981, month: 6, day: 2 }, { year: 1980 }],
        identifiers: [{ kind: 'passport', value: 'PL:AB1234567' }],
        countries: ['PL', 'DE'],
        addresses: ['ul. Lipowa 14, Warszawa'],
      }),
      { kind: 'organization', names: ['Northern Maritime Freight Corporation', 'NMF Ltd'] },
      person('محمد الزهراني'),
      { kind: 'other', names: [] },
    ];
    const detail = newScoreDetail();
    for (const a of inputs) {
      const p = prepared(a);
      const packed = packPrepared(p);
      // Bytes from a driver may start at any offset.
      const shifted = new Uint8Array(packed.length + 3);
      shifted.set(packed, 3);
      for (const copy of [unpackPrepared(packed), unpackPrepared(shifted.subarray(3))]) {
        expect(copy.identifierKind).toEqual(p.identifierKind);
        for (const b of inputs) {
          const q = prepared(b);
          expect(scorePair(copy, q, detail)).toBe(scorePair(p, q, detail));
          expect(scorePair(q, copy, detail)).toBe(scorePair(q, p, detail));
        }
      }
    }
  });

  it('refuses an unknown version', () => {
    const packed = packPrepared(prepared(person('Ana Lima')));
    packed[0] = 99;
    expect(() => unpackPrepared(packed)).toThrow();
  });
});

describe('CandidateIndex', () => {
  const inputs = population();
  const index = indexOf(inputs);

  it('finds the true pair among a population without comparing everything', () => {
    const target = inputs[123]!;
    const query: EncodedEntity = encoder.encode({ ...target, names: [`${target.names[0]}`.toUpperCase()] });
    const found = index.candidates(query, { ...DEFAULT_CANDIDATES, maxCandidates: 20 });
    expect(found).toContain(123);
    expect(found.length).toBeLessThanOrEqual(20);
  });

  it('skips over-common keys and says so', () => {
    const before = index.skippedKeys;
    const query = encoder.encode(person('John Smith'));
    index.candidates(query, { ...DEFAULT_CANDIDATES, maxPostings: 10 });
    expect(index.skippedKeys).toBeGreaterThan(before);
  });

  it('leaves out the query itself and its own organization', () => {
    const idx = new CandidateIndex();
    const e = encoder.encode(person('Tobias Lindqvist'));
    const own = idx.add(e, 1);
    const other = idx.add(e, 2);
    expect(idx.candidates(e, DEFAULT_CANDIDATES, { exclude: own })).toEqual([other]);
    expect(idx.candidates(e, DEFAULT_CANDIDATES, { excludeGroup: 2 })).toEqual([own]);
  });

  it('counts feature ids for rarity', () => {
    const idx = new CandidateIndex();
    idx.add(encoder.encode(person('Tobias Lindqvist')));
    idx.add(encoder.encode(person('Tobias Berg')));
    const tobias = encoder.encode(person('Tobias')).names[0]!.tokens[0]!.id;
    expect(idx.count(tobias)).toBe(2);
    expect(idx.population).toBe(2);
  });

  it('refuses entities encoded under another key', () => {
    const idx = new CandidateIndex();
    idx.add(encoder.encode(person('Tobias Lindqvist')));
    const other = new BlindEncoder({ id: 'other', secret: new Uint8Array(32).fill(4) });
    expect(() => idx.add(other.encode(person('Tobias Lindqvist')))).toThrow();
  });
});
