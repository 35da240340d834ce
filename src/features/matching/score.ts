import {
  blockingKeysOf,
  type EncodedEntity,
  type EncodedName,
  featureIdsOf,
  filterFromBase64,
} from './blind.js';
import type { NameKind } from './names.js';

/*
 * Scoring of two blind entities. Only encodings enter here: keyed ids compared for equality,
 * keyed Bloom filters compared by Dice, and the population's counts of keyed ids (rarity).
 *
 * The score is a Fellegi–Sunter style log-likelihood ratio turned into a probability:
 *   log-odds = Σ evidence − ln(population) + bias
 * where agreeing on a value observed in df of N entities is worth about ln(N/df) (the u-probability
 * of agreeing by chance is df/N), so a shared rare token, date or document weighs much more than a
 * shared common given name; the −ln(N) prior (one true partner among N) is meant to keep one
 * threshold meaningful from a thousand to a million entities.
 *
 * Names are compared as token sets (order ignored): each token pair is scored by exact id,
 * skeleton id or Dice of token filters; compounds (acronyms, joined words) meet single tokens
 * ("IRGC", "Iranair"; a joined run also by its skeleton, "Kheir Beik"/"Khayrbik"); the best pairs are taken greedily (each token used once), each worth its
 * rarity weight times its similarity; left-over tokens cost a penalty, more for rare ones, less
 * for surplus ones (a dropped middle name). The whole-name filter (union of bigrams, order-free)
 * rescues words split differently. Addresses are compared the same way, with their own costs and a
 * cap. Dates, countries and identifiers add agreement or disagreement.
 *
 * Generic words of organization names ("bank", "trading", "foundation", marked by the normalizer)
 * weigh `genericWeightFactor` of their rarity: in a list of a few thousand bodies they still look
 * rare, and two bodies sharing "drug trafficking organization" are not one.
 *
 * How DEFAULT_MATCH_CONFIG and DEFAULT_HIT_THRESHOLD were chosen (one configuration for every
 * data set): each labelled set is split in two fixed halves by an FNV-1a hash of its split unit
 * (`splitDataset` in datasets.ts: a FEBRL record with its duplicates, an OFAC alias with its
 * listed party; the OFAC targets stay whole). Every choice was made on the development halves of
 * FEBRL 4a↔4b, dataset1, dataset2 and the OFAC aliases together, going through `matchInputOf` and
 * the blind encoder as stored records do, one parameter at a time, keeping a change only if OFAC
 * top-1 and F1 rose without FEBRL F1 falling; the validation halves were measured only at the end.
 * The same rule decided the normalizer and encoder changes (more generic-word translations,
 * English plurals, acronym letters from legal forms, joined runs by skeleton, three-letter
 * skeletons as blocking keys); a voicing fold of skeletons (g/k, b/p, d/t) was dropped under it.
 * The earlier parameters sit at a flat optimum (±0.3 points of OFAC top-1 for any single change);
 * `genericWeightFactor` 0.6 was picked from {0.3, 0.5, 0.6, 0.7, 1}, `countryMaxWeight` 5 from
 * {3, 4, 5, 6, 7} (6 and 7 gain nothing more); the threshold 0.5 from
 * 0.3–0.7, over which F1 stays within 0.5 points. Learned weights were tried and dropped: a
 * logistic regression and a per-query softmax (conditional logit) over 23 pair features (these
 * evidences and their parts) fitted on the development halves ranked worse than this sum (OFAC
 * development top-1 0.769 and 0.774 against 0.784). Figures: report of issue 4.
 */

export interface RarityTable {
  /** Number of indexed entities. */
  readonly population: number;
  /** Number of indexed entities carrying this keyed id (0 when unknown). */
  count(id: string): number;
}

/** Scoring parameters: one configuration for every data set (see the header and the report of issue 4). */
export interface MatchConfig {
  /** Token Dice at or below this is no evidence; 1 is full agreement. */
  readonly tokenDiceFloor: number;
  /** Similarity given to two Latin tokens with the same skeleton only (vowel or digraph variants). */
  readonly skeletonSimilarity: number;
  /** Similarity given when a consonantal-script token meets a token by skeleton (its only way to meet). */
  readonly consonantalSkeletonSimilarity: number;
  /** Log-odds cost of each token of either name left without a partner. */
  readonly unmatchedTokenPenalty: number;
  /** Further cost of an unmatched token per unit of its weight: losing a rare word says more than losing "trading". */
  readonly unmatchedWeightFactor: number;
  /**
   * Share of the unmatched cost charged for surplus tokens, those of the name with more left-over
   * tokens beyond the other's left-overs: a dropped middle name is absence, not disagreement.
   */
  readonly surplusTokenFactor: number;
  /**
   * Subtracted from every name token's rarity weight (floor 0): generic words ("bank", "trading",
   * "foundation") are common enough to be told apart from chance by frequency in a large
   * population, but in a list of a few thousand they would still outweigh one distinctive word.
   */
  readonly tokenWeightOffset: number;
  /**
   * Multiplier of the rarity weight of a generic word of organization names ("bank", "trading"):
   * in a list of a few thousand bodies such words still look rare enough to outweigh the one word
   * that tells two bodies apart.
   */
  readonly genericWeightFactor: number;
  /** Whole-name Dice at or below this is no evidence. */
  readonly wholeNameDiceFloor: number;
  /** Fraction of an acronym's rarity weight counted when it meets a token. */
  readonly acronymFactor: number;
  /** Fraction of a joined run's rarity weight counted when it meets a token ("iran air"/"iranair"). */
  readonly joinedFactor: number;
  /** Names that disagree entirely cost at most this much: an alias can be another name altogether. */
  readonly nameDisagreementCap: number;
  /** Multiplier of the address token-set evidence (address words are compared like name tokens). */
  readonly addressScale: number;
  /** Log-odds cost of each address word without a partner (addresses are written with more or fewer parts). */
  readonly addressUnmatchedPenalty: number;
  /** Further cost of an unmatched address word per unit of its weight (a different street number or town says more than "street"). */
  readonly addressUnmatchedWeightFactor: number;
  /** Addresses that disagree entirely cost at most this much: people move. */
  readonly addressDisagreementCap: number;
  /**
   * Cap on address agreement, applied before the words left over are charged: the words of an
   * address are not independent (a building's name has several), and a shared address is shared
   * by a household or a whole office block, so it is worth about one rare value, not the sum of
   * its words; a different street number or town still counts against in full.
   */
  readonly addressMaxEvidence: number;
  /** Log-odds cost of birth dates that disagree (at the precision both have). */
  readonly birthDateDisagreement: number;
  /** Log-odds gain of full dates one typo apart (one digit, or day and month exchanged). */
  readonly birthDateNear: number;
  /** Log-odds of full dates with the same day and month in different years (a mistyped year). */
  readonly birthDateSameDayOtherYear: number;
  /** Log-odds gain of adjacent years when only the year is known on one side. */
  readonly adjacentYear: number;
  /** Cap on the weight of a shared country (countries are weak evidence). */
  readonly countryMaxWeight: number;
  readonly countryDisagreement: number;
  /** Cost of two identifiers of the same kind that differ (documents are renewed, so moderate). */
  readonly identifierDisagreement: number;
  /**
   * Added to an identifier's rarity weight: the chance that two different people share a document
   * number is far below 1/N (numbers are drawn from a space much larger than the population).
   */
  readonly identifierBonus: number;
  /** Cap on any single rarity weight, so that a value seen once in a small population cannot dominate. */
  readonly maxWeight: number;
  /** Added to the log-odds; with the −ln(N) prior it sets where the score crosses 0.5. */
  readonly bias: number;
  /** Name (or address) evidence above which "name" (or "address") is reported as a matched feature. */
  readonly nameReported: number;
}

export const DEFAULT_MATCH_CONFIG: MatchConfig = {
  tokenDiceFloor: 0.5,
  skeletonSimilarity: 0.9,
  consonantalSkeletonSimilarity: 1,
  unmatchedTokenPenalty: 1.5,
  unmatchedWeightFactor: 0.1,
  surplusTokenFactor: 0.75,
  tokenWeightOffset: 0,
  wholeNameDiceFloor: 0.6,
  genericWeightFactor: 0.6,
  acronymFactor: 1.1,
  joinedFactor: 1.2,
  nameDisagreementCap: 2,
  addressScale: 1,
  addressUnmatchedPenalty: 0.25,
  addressUnmatchedWeightFactor: 0.2,
  addressDisagreementCap: 3,
  addressMaxEvidence: 16,
  birthDateDisagreement: 6,
  birthDateNear: 4,
  birthDateSameDayOtherYear: 0,
  adjacentYear: -1,
  countryMaxWeight: 5,
  countryDisagreement: 10,
  identifierDisagreement: 4,
  identifierBonus: 10,
  maxWeight: 12,
  bias: 1,
  nameReported: 2,
};

/** The score at or above which a pair is a hit: the threshold the evaluation measures with. */
export const DEFAULT_HIT_THRESHOLD = 0.5;

/** Tokens beyond this count in one name or address are ignored (keeps scratch space fixed). */
const MAX_TOKENS = 24;

/** Names (or addresses) of an entity as flat typed arrays: set i holds tokens [start[i], start[i+1]). */
export interface PreparedTokenSets {
  readonly count: number;
  readonly start: Int32Array;
  readonly tokenId: Float64Array;
  readonly tokenSkeleton: Float64Array;
  readonly tokenWeight: Float64Array;
  readonly skeletonWeight: Float64Array;
  readonly tokenConsonantal: Uint8Array;
  readonly tokenWords: number;
  readonly tokenBits: Uint32Array;
  readonly tokenPop: Uint16Array;
  readonly wholeWords: number;
  readonly wholeBits: Uint32Array;
  readonly wholePop: Uint16Array;
  /** Sum of the weights the set's tokens could claim. */
  readonly totalWeight: Float64Array;
  /** Compound range of set i: [compoundStart[i], compoundStart[i+1]). */
  readonly compoundStart: Int32Array;
  readonly compoundId: Float64Array;
  readonly compoundWeight: Float64Array;
  /** Bit set of the set's tokens (by position within the set) a compound stands for. */
  readonly compoundCovers: Int32Array;
  /** 1 for an acronym, 0 for joined tokens, 2 for the skeleton of joined tokens (meets token skeletons). */
  readonly compoundAcronym: Uint8Array;
}

/** An entity decoded into typed arrays with its rarity weights resolved: the form the hot loop reads. */
export interface PreparedEntity {
  readonly kind: NameKind;
  readonly population: number;
  readonly names: PreparedTokenSets;
  readonly addresses: PreparedTokenSets;
  /** 0 year, 1 month, 2 day. */
  readonly datePrecision: Uint8Array;
  readonly dateYear: Float64Array;
  readonly dateNextYear: Float64Array;
  readonly dateMonth: Float64Array;
  readonly dateDay: Float64Array;
  readonly dateWeight: Float64Array;
  readonly nearStart: Int32Array;
  readonly nearId: Float64Array;
  readonly dateMonthDay: Float64Array;
  readonly countryId: Float64Array;
  readonly countryWeight: Float64Array;
  readonly identifierId: Float64Array;
  readonly identifierKind: readonly string[];
  readonly identifierWeight: Float64Array;
}

const B64 = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries())
  B64[c.charCodeAt(0)] = i;

/** The first 48 bits of a keyed id as a number: equality on it is what scoring compares. */
export function idNumber(id: string): number {
  let n = 0;
  for (let i = 0; i < 8; i++) {
    const v = B64[id.charCodeAt(i) & 127] ?? -1;
    if (v < 0) throw new Error('Not a keyed id');
    n = n * 64 + v;
  }
  // 0 marks "absent" in the typed arrays; a real id of 0 is shifted to 1 (one collision in 2^48).
  return n === 0 ? 1 : n;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function popcountRange(bits: Uint32Array, start: number, words: number): number {
  let n = 0;
  for (let i = 0; i < words; i++) n += popcount(bits[start + i]!);
  return n;
}

function dice(
  a: Uint32Array,
  aStart: number,
  aPop: number,
  b: Uint32Array,
  bStart: number,
  bPop: number,
  words: number,
): number {
  if (aPop + bPop === 0) return 0;
  let common = 0;
  for (let i = 0; i < words; i++) common += popcount(a[aStart + i]! & b[bStart + i]!);
  return (2 * common) / (aPop + bPop);
}

// A pseudo-population every value is assumed seen in at a modest frequency: in a small index
// (a new deployment, a test) counts say little, and unsmoothed weights would make everything look
// common; from some ten thousand entities on, the counts dominate.
const PRIOR_POPULATION = 1000;
const PRIOR_FREQUENCY = 1e-4;

/** Rarity weight −ln(frequency) with the frequency smoothed towards a prior, clamped to [0, maxWeight]. */
function weightOf(rarity: RarityTable, id: string, maxWeight: number): number {
  const n = Math.max(rarity.population, 0);
  const df = Math.max(rarity.count(id), 1);
  const frequency = (df + PRIOR_POPULATION * PRIOR_FREQUENCY) / (n + PRIOR_POPULATION);
  return Math.min(Math.max(-Math.log(frequency), 0), maxWeight);
}

function prepareTokenSets(
  sets: readonly EncodedName[],
  weight: (id: string) => number,
  genericFactor = 1,
): PreparedTokenSets {
  const kept = sets.map((n) => ({ ...n, tokens: n.tokens.slice(0, MAX_TOKENS) }));
  const tokenCount = kept.reduce((s, n) => s + n.tokens.length, 0);
  const firstToken = kept[0]?.tokens[0];
  const tokenWords = firstToken ? filterFromBase64(firstToken.filter).length : 0;
  const firstSet = kept[0];
  const wholeWords = firstSet ? filterFromBase64(firstSet.filter).length : 0;

  const start = new Int32Array(kept.length + 1);
  const compoundStart = new Int32Array(kept.length + 1);
  const tokenId = new Float64Array(tokenCount);
  const tokenSkeleton = new Float64Array(tokenCount);
  const tokenWeight = new Float64Array(tokenCount);
  const skeletonWeight = new Float64Array(tokenCount);
  const tokenConsonantal = new Uint8Array(tokenCount);
  const tokenBits = new Uint32Array(tokenCount * tokenWords);
  const tokenPop = new Uint16Array(tokenCount);
  const wholeBits = new Uint32Array(kept.length * wholeWords);
  const wholePop = new Uint16Array(kept.length);
  const totalWeight = new Float64Array(kept.length);
  const compoundIds: number[] = [];
  const compoundWeights: number[] = [];
  const compoundCovers: number[] = [];
  const compoundAcronym: number[] = [];
  let t = 0;
  kept.forEach((set, i) => {
    start[i] = t;
    compoundStart[i] = compoundIds.length;
    for (const token of set.tokens) {
      tokenId[t] = idNumber(token.id);
      tokenSkeleton[t] = idNumber(token.skeleton);
      const factor = token.generic ? genericFactor : 1;
      tokenWeight[t] = factor * weight(token.id);
      skeletonWeight[t] = factor * weight(token.skeleton);
      tokenConsonantal[t] = token.consonantal ? 1 : 0;
      const bits = filterFromBase64(token.filter);
      if (bits.length !== tokenWords) throw new Error('Token filters of different sizes');
      tokenBits.set(bits, t * tokenWords);
      tokenPop[t] = popcountRange(bits, 0, tokenWords);
      // A consonantal token's own weight is that of a spelling no romanization shares: its
      // skeleton's rarity is what an agreement can claim.
      totalWeight[i]! += token.consonantal ? skeletonWeight[t]! : tokenWeight[t]!;
      t++;
    }
    for (const c of set.compounds) {
      let covers = 0;
      for (const k of c.covers) if (k < set.tokens.length) covers |= 1 << k;
      if (covers === 0) continue;
      compoundIds.push(idNumber(c.id));
      compoundWeights.push(weight(c.id));
      compoundCovers.push(covers);
      compoundAcronym.push(c.kind === 'acronym' ? 1 : c.kind === 'skeleton' ? 2 : 0);
    }
    const bits = filterFromBase64(set.filter);
    if (bits.length !== wholeWords) throw new Error('Whole-name filters of different sizes');
    wholeBits.set(bits, i * wholeWords);
    wholePop[i] = popcountRange(bits, 0, wholeWords);
  });
  start[kept.length] = t;
  compoundStart[kept.length] = compoundIds.length;
  return {
    count: kept.length,
    start,
    tokenId,
    tokenSkeleton,
    tokenWeight,
    skeletonWeight,
    tokenConsonantal,
    tokenWords,
    tokenBits,
    tokenPop,
    wholeWords,
    wholeBits,
    wholePop,
    totalWeight,
    compoundStart,
    compoundId: Float64Array.from(compoundIds),
    compoundWeight: Float64Array.from(compoundWeights),
    compoundCovers: Int32Array.from(compoundCovers),
    compoundAcronym: Uint8Array.from(compoundAcronym),
  };
}

/**
 * Decodes an encoding and resolves its rarity weights against a population. Prepare indexed
 * entities once (and again when the population has changed much); prepare a query once per search.
 */
export function prepareEntity(
  entity: EncodedEntity,
  rarity: RarityTable,
  config: MatchConfig = DEFAULT_MATCH_CONFIG,
): PreparedEntity {
  const w = (id: string) => weightOf(rarity, id, config.maxWeight);
  const nameWeight = (id: string) => Math.max(w(id) - config.tokenWeightOffset, 0);
  const dates = entity.birthDates;
  const nearIds: number[] = [];
  const nearStart = new Int32Array(dates.length + 1);
  dates.forEach((d, i) => {
    nearStart[i] = nearIds.length;
    for (const n of d.near ?? []) nearIds.push(idNumber(n));
  });
  nearStart[dates.length] = nearIds.length;
  return {
    kind: entity.kind,
    population: Math.max(rarity.population, 1),
    names: prepareTokenSets(entity.names, nameWeight, config.genericWeightFactor),
    addresses: prepareTokenSets(entity.addresses, w),
    datePrecision: Uint8Array.from(dates, (d) =>
      d.precision === 'day' ? 2 : d.precision === 'month' ? 1 : 0,
    ),
    dateYear: Float64Array.from(dates, (d) => idNumber(d.year)),
    dateNextYear: Float64Array.from(dates, (d) => idNumber(d.nextYear)),
    dateMonth: Float64Array.from(dates, (d) => (d.month ? idNumber(d.month) : 0)),
    dateDay: Float64Array.from(dates, (d) => (d.day ? idNumber(d.day) : 0)),
    // Weight of agreement at the date's own precision (year, month or day).
    dateWeight: Float64Array.from(dates, (d) => w(d.day ?? d.month ?? d.year)),
    nearStart,
    nearId: Float64Array.from(nearIds),
    dateMonthDay: Float64Array.from(dates, (d) => (d.monthDay ? idNumber(d.monthDay) : 0)),
    countryId: Float64Array.from(entity.countries, idNumber),
    countryWeight: Float64Array.from(entity.countries, (c) => Math.min(w(c), config.countryMaxWeight)),
    identifierId: Float64Array.from(entity.identifiers, (i) => idNumber(i.id)),
    identifierKind: entity.identifiers.map((i) => i.kind),
    identifierWeight: Float64Array.from(entity.identifiers, (i) => w(i.id) + config.identifierBonus),
  };
}

// Packed form of a prepared entity: one byte array the database can store next to the encoding
// (weights resolved when it was packed), read back as views without decoding base64 or looking
// up rarities, so that a candidate fetched from storage is ready to score.
const KINDS: readonly NameKind[] = ['person', 'organization', 'other'];
const PACK_VERSION = 1;
const SEPARATOR = '\u001f';
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();
const align8 = (n: number) => (n + 7) & ~7;
type AnyArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** The arrays of a prepared entity in packing order (the order `unpackPrepared` reads them in). */
function packedArrays(p: PreparedEntity): AnyArray[] {
  const out: AnyArray[] = [];
  for (const t of [p.names, p.addresses]) {
    out.push(
      t.start,
      t.tokenId,
      t.tokenSkeleton,
      t.tokenWeight,
      t.skeletonWeight,
      t.tokenConsonantal,
      t.tokenBits,
      t.tokenPop,
      t.wholeBits,
      t.wholePop,
      t.totalWeight,
      t.compoundStart,
      t.compoundId,
      t.compoundWeight,
      t.compoundCovers,
      t.compoundAcronym,
    );
  }
  out.push(
    p.datePrecision,
    p.dateYear,
    p.dateNextYear,
    p.dateMonth,
    p.dateDay,
    p.dateWeight,
    p.nearStart,
    p.nearId,
    p.dateMonthDay,
    p.countryId,
    p.countryWeight,
    p.identifierId,
    p.identifierWeight,
  );
  return out;
}

/**
 * Packs a prepared entity (with the weights it was prepared with) into one byte array;
 * `unpackPrepared` reads it back. Native byte order (little-endian on every platform Node runs
 * on), 8-byte aligned sections, versioned.
 */
export function packPrepared(p: PreparedEntity): Uint8Array {
  const arrays = packedArrays(p);
  const kinds = UTF8_ENCODER.encode(p.identifierKind.join(SEPARATOR));
  // Header: version, kind, population, token and whole words of both sets, kinds length, then
  // one element count per array.
  const headerInts = 8 + arrays.length;
  let size = align8(headerInts * 4) + align8(kinds.length);
  for (const a of arrays) size += align8(a.byteLength);
  const buffer = new ArrayBuffer(size);
  const header = new Int32Array(buffer, 0, headerInts);
  header.set([
    PACK_VERSION,
    KINDS.indexOf(p.kind),
    p.population,
    p.names.tokenWords,
    p.names.wholeWords,
    p.addresses.tokenWords,
    p.addresses.wholeWords,
    kinds.length,
  ]);
  for (let i = 0; i < arrays.length; i++) header[8 + i] = arrays[i]!.length;
  const bytes = new Uint8Array(buffer);
  let offset = align8(headerInts * 4);
  bytes.set(kinds, offset);
  offset += align8(kinds.length);
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += align8(a.byteLength);
  }
  return bytes;
}

/** Sequential reader of the packed arrays, in packing order. */
class PackedReader {
  private next = 0;
  constructor(
    private readonly buffer: ArrayBuffer,
    private offset: number,
    private readonly lengths: Int32Array,
  ) {}
  private take(bytesPerElement: number): [number, number] {
    const length = this.lengths[this.next++]!;
    const at = this.offset;
    this.offset += align8(length * bytesPerElement);
    return [at, length];
  }
  f64(): Float64Array {
    const [at, n] = this.take(8);
    return new Float64Array(this.buffer, at, n);
  }
  i32(): Int32Array {
    const [at, n] = this.take(4);
    return new Int32Array(this.buffer, at, n);
  }
  u32(): Uint32Array {
    const [at, n] = this.take(4);
    return new Uint32Array(this.buffer, at, n);
  }
  u16(): Uint16Array {
    const [at, n] = this.take(2);
    return new Uint16Array(this.buffer, at, n);
  }
  u8(): Uint8Array {
    const [at, n] = this.take(1);
    return new Uint8Array(this.buffer, at, n);
  }
}

function readTokenSets(r: PackedReader, tokenWords: number, wholeWords: number): PreparedTokenSets {
  const start = r.i32();
  // Same properties in the same order as prepareTokenSets builds them: one object shape for the scorer.
  return {
    count: start.length - 1,
    start,
    tokenId: r.f64(),
    tokenSkeleton: r.f64(),
    tokenWeight: r.f64(),
    skeletonWeight: r.f64(),
    tokenConsonantal: r.u8(),
    tokenWords,
    tokenBits: r.u32(),
    tokenPop: r.u16(),
    wholeWords,
    wholeBits: r.u32(),
    wholePop: r.u16(),
    totalWeight: r.f64(),
    compoundStart: r.i32(),
    compoundId: r.f64(),
    compoundWeight: r.f64(),
    compoundCovers: r.i32(),
    compoundAcronym: r.u8(),
  };
}

/** Reads a packed entity back (views over the bytes, or over an aligned copy); throws on another version. */
export function unpackPrepared(packed: Uint8Array): PreparedEntity {
  // Typed views need aligned offsets; bytes from a driver may start anywhere, so copy then.
  const aligned = packed.byteOffset % 8 === 0;
  const buffer = (aligned ? packed.buffer : packed.slice().buffer) as ArrayBuffer;
  const base = aligned ? packed.byteOffset : 0;
  const fixed = new Int32Array(buffer, base, 8);
  if (fixed[0] !== PACK_VERSION) throw new Error('Unknown packed entity version');
  const arrays = 2 * 16 + 13;
  const lengths = new Int32Array(buffer, base + 32, arrays);
  const kindsAt = base + align8((8 + arrays) * 4);
  const kindsLength = fixed[7]!;
  const kindsText = kindsLength > 0 ? UTF8_DECODER.decode(new Uint8Array(buffer, kindsAt, kindsLength)) : '';
  const r = new PackedReader(buffer, kindsAt + align8(kindsLength), lengths);
  const names = readTokenSets(r, fixed[3]!, fixed[4]!);
  const addresses = readTokenSets(r, fixed[5]!, fixed[6]!);
  return {
    kind: KINDS[fixed[1]!] ?? 'other',
    population: fixed[2]!,
    names,
    addresses,
    datePrecision: r.u8(),
    dateYear: r.f64(),
    dateNextYear: r.f64(),
    dateMonth: r.f64(),
    dateDay: r.f64(),
    dateWeight: r.f64(),
    nearStart: r.i32(),
    nearId: r.f64(),
    dateMonthDay: r.f64(),
    countryId: r.f64(),
    countryWeight: r.f64(),
    identifierId: r.f64(),
    identifierKind: kindsText === '' ? [] : kindsText.split(SEPARATOR),
    identifierWeight: r.f64(),
  };
}

/** Bits of `ScoreDetail.matched`. */
export const MATCHED = {
  name: 1,
  acronym: 2,
  birthDate: 4,
  birthMonth: 8,
  birthYear: 16,
  country: 32,
  address: 64,
  identifier: 128,
} as const;

/** A reusable result holder: pass the same one to every `scorePair` call to keep the loop allocation-free. */
export interface ScoreDetail {
  score: number;
  logOdds: number;
  nameEvidence: number;
  /** Bit set of MATCHED. */
  matched: number;
  /** Indices (into the first entity's identifiers) of identifiers that agreed. */
  readonly identifiersMatched: number[];
}

/** A fresh result holder for `scorePair`. */
export function newScoreDetail(): ScoreDetail {
  return { score: 0, logOdds: 0, nameEvidence: 0, matched: 0, identifiersMatched: [] };
}

// Scratch space of the token assignment, sized once.
const GAIN = new Float64Array(MAX_TOKENS * MAX_TOKENS);
const MAX_COMPOUND_PAIRS = 256;
const COMPOUND_GAIN = new Float64Array(MAX_COMPOUND_PAIRS);
const COMPOUND_A = new Int32Array(MAX_COMPOUND_PAIRS);
const COMPOUND_B = new Int32Array(MAX_COMPOUND_PAIRS);
const COMPOUND_ACRONYM = new Uint8Array(MAX_COMPOUND_PAIRS);
// Whether the best comparison of the last `setEvidence` call went through an acronym.
let usedAcronym = false;

/** The token-set comparison parameters, shared by names and addresses. */
interface SetParams {
  readonly diceFloor: number;
  readonly skeletonSimilarity: number;
  readonly consonantalSkeletonSimilarity: number;
  readonly unmatchedPenalty: number;
  readonly unmatchedWeightFactor: number;
  readonly surplusFactor: number;
  /** Cap on the agreement gained before left-over tokens are charged (agreeing words of an address are not independent). */
  readonly maxGain: number;
  readonly acronymFactor: number;
  readonly joinedFactor: number;
  readonly wholeDiceFloor: number;
}

const PARAMS = new WeakMap<MatchConfig, { names: SetParams; addresses: SetParams }>();

function paramsOf(c: MatchConfig): { names: SetParams; addresses: SetParams } {
  let p = PARAMS.get(c);
  if (!p) {
    const names: SetParams = {
      diceFloor: c.tokenDiceFloor,
      skeletonSimilarity: c.skeletonSimilarity,
      consonantalSkeletonSimilarity: c.consonantalSkeletonSimilarity,
      unmatchedPenalty: c.unmatchedTokenPenalty,
      unmatchedWeightFactor: c.unmatchedWeightFactor,
      surplusFactor: c.surplusTokenFactor,
      maxGain: Number.POSITIVE_INFINITY,
      acronymFactor: c.acronymFactor,
      joinedFactor: c.joinedFactor,
      wholeDiceFloor: c.wholeNameDiceFloor,
    };
    p = {
      names,
      addresses: {
        ...names,
        unmatchedPenalty: c.addressUnmatchedPenalty,
        unmatchedWeightFactor: c.addressUnmatchedWeightFactor,
        maxGain: c.addressMaxEvidence,
        acronymFactor: 0,
      },
    };
    PARAMS.set(c, p);
  }
  return p;
}

function kindsComparable(a: NameKind, b: NameKind): boolean {
  return a === b || a === 'other' || b === 'other';
}

/** Compounds of x's set i equal to a token of y's set j, appended to the compound scratch. */
function collectCompounds(
  x: PreparedTokenSets,
  i: number,
  y: PreparedTokenSets,
  j: number,
  p: SetParams,
  count: number,
  xIsA: boolean,
): number {
  const y0 = y.start[j]!;
  const ny = y.start[j + 1]! - y0;
  let n = count;
  for (let k = x.compoundStart[i]!; k < x.compoundStart[i + 1]!; k++) {
    const id = x.compoundId[k]!;
    const kind = x.compoundAcronym[k]!;
    const acronym = kind === 1 ? 1 : 0;
    const bySkeleton = kind === 2;
    const factor = acronym
      ? p.acronymFactor
      : bySkeleton
        ? p.joinedFactor * p.skeletonSimilarity
        : p.joinedFactor;
    if (factor <= 0) continue;
    const targets = bySkeleton ? y.tokenSkeleton : y.tokenId;
    const weights = bySkeleton ? y.skeletonWeight : y.tokenWeight;
    for (let t = 0; t < ny; t++) {
      if (targets[y0 + t] !== id || n >= MAX_COMPOUND_PAIRS) continue;
      COMPOUND_GAIN[n] = factor * Math.min(x.compoundWeight[k]!, weights[y0 + t]!);
      COMPOUND_A[n] = xIsA ? x.compoundCovers[k]! : 1 << t;
      COMPOUND_B[n] = xIsA ? 1 << t : x.compoundCovers[k]!;
      COMPOUND_ACRONYM[n] = acronym;
      n++;
    }
  }
  return n;
}

/** What a token could have claimed: its rarity, or its skeleton's for a consonantal token. */
function ownWeight(e: PreparedTokenSets, t: number): number {
  return e.tokenConsonantal[t] ? e.skeletonWeight[t]! : e.tokenWeight[t]!;
}

/**
 * Token-set evidence between set i of a and set j of b: every token pair scored by exact id,
 * skeleton or Dice; compounds (acronyms, joined runs) of either side meeting a token of the other;
 * then the best remaining pair taken greedily until none is left, each token used once. Tokens
 * left over cost a penalty.
 */
function tokenSetEvidence(
  a: PreparedTokenSets,
  i: number,
  b: PreparedTokenSets,
  j: number,
  p: SetParams,
): number {
  const a0 = a.start[i]!;
  const na = a.start[i + 1]! - a0;
  const b0 = b.start[j]!;
  const nb = b.start[j + 1]! - b0;
  const tw = a.tokenWords;
  for (let x = 0; x < na; x++) {
    const ta = a0 + x;
    for (let y = 0; y < nb; y++) {
      const tb = b0 + y;
      let sim = 0;
      let weight = 0;
      if (a.tokenId[ta] === b.tokenId[tb]) {
        sim = 1;
        weight = Math.min(a.tokenWeight[ta]!, b.tokenWeight[tb]!);
      } else {
        const consonantal = a.tokenConsonantal[ta]! | b.tokenConsonantal[tb]!;
        if (a.tokenSkeleton[ta] === b.tokenSkeleton[tb]) {
          sim = consonantal ? p.consonantalSkeletonSimilarity : p.skeletonSimilarity;
          // Agreeing by skeleton is as likely by chance as the skeleton is common.
          weight = Math.min(a.skeletonWeight[ta]!, b.skeletonWeight[tb]!);
        } else if (!consonantal) {
          sim = dice(a.tokenBits, ta * tw, a.tokenPop[ta]!, b.tokenBits, tb * tw, b.tokenPop[tb]!, tw);
          weight = Math.min(a.tokenWeight[ta]!, b.tokenWeight[tb]!);
        }
      }
      GAIN[x * MAX_TOKENS + y] = sim > p.diceFloor ? (weight * (sim - p.diceFloor)) / (1 - p.diceFloor) : 0;
    }
  }
  let compounds = collectCompounds(a, i, b, j, p, 0, true);
  compounds = collectCompounds(b, j, a, i, p, compounds, false);

  let usedA = 0;
  let usedB = 0;
  let gain = 0;
  let acronymUsed = false;
  for (;;) {
    let best = 0;
    let maskA = 0;
    let maskB = 0;
    let acronym = 0;
    for (let x = 0; x < na; x++) {
      if (usedA & (1 << x)) continue;
      for (let y = 0; y < nb; y++) {
        if (usedB & (1 << y)) continue;
        const g = GAIN[x * MAX_TOKENS + y]!;
        if (g > best) {
          best = g;
          maskA = 1 << x;
          maskB = 1 << y;
          acronym = 0;
        }
      }
    }
    for (let k = 0; k < compounds; k++) {
      const g = COMPOUND_GAIN[k]!;
      if (g > best && (usedA & COMPOUND_A[k]!) === 0 && (usedB & COMPOUND_B[k]!) === 0) {
        best = g;
        maskA = COMPOUND_A[k]!;
        maskB = COMPOUND_B[k]!;
        acronym = COMPOUND_ACRONYM[k]!;
      }
    }
    if (best <= 0) break;
    usedA |= maskA;
    usedB |= maskB;
    gain += best;
    if (acronym) acronymUsed = true;
  }
  let penaltyA = 0;
  let leftA = 0;
  for (let x = 0; x < na; x++) {
    if ((usedA & (1 << x)) === 0) {
      penaltyA += p.unmatchedPenalty + p.unmatchedWeightFactor * ownWeight(a, a0 + x);
      leftA++;
    }
  }
  let penaltyB = 0;
  let leftB = 0;
  for (let y = 0; y < nb; y++) {
    if ((usedB & (1 << y)) === 0) {
      penaltyB += p.unmatchedPenalty + p.unmatchedWeightFactor * ownWeight(b, b0 + y);
      leftB++;
    }
  }
  // Left-over tokens facing left-over tokens disagree; tokens one side simply has more of (a
  // middle name, a given name missing from the other record) are absent rather than different,
  // and cost less.
  const surplus = Math.abs(leftA - leftB);
  const longer = leftA > leftB ? penaltyA / leftA : leftB > 0 ? penaltyB / leftB : 0;
  usedAcronym = acronymUsed;
  return Math.min(gain, p.maxGain) - (penaltyA + penaltyB) + (1 - p.surplusFactor) * surplus * longer;
}

/**
 * The best evidence between any set of a and any set of b (any name against any alias): the
 * token-set evidence, or the whole-set filter's Dice when words are split or joined differently.
 */
function setEvidence(a: PreparedTokenSets, b: PreparedTokenSets, p: SetParams): number {
  let best = Number.NEGATIVE_INFINITY;
  let acronym = false;
  const ww = a.wholeWords;
  for (let i = 0; i < a.count; i++) {
    for (let j = 0; j < b.count; j++) {
      let ev = tokenSetEvidence(a, i, b, j, p);
      let viaAcronym = usedAcronym;
      if (ww === b.wholeWords) {
        const d = dice(a.wholeBits, i * ww, a.wholePop[i]!, b.wholeBits, j * ww, b.wholePop[j]!, ww);
        if (d > p.wholeDiceFloor) {
          const f = (d - p.wholeDiceFloor) / (1 - p.wholeDiceFloor);
          const whole = f * f * Math.min(a.totalWeight[i]!, b.totalWeight[j]!, p.maxGain);
          if (whole > ev) {
            ev = whole;
            viaAcronym = false;
          }
        }
      }
      if (ev > best) {
        best = ev;
        acronym = viaAcronym;
      }
    }
  }
  usedAcronym = acronym;
  return best;
}

function nameEvidence(a: PreparedEntity, b: PreparedEntity, c: MatchConfig, detail: ScoreDetail): number {
  // A record without a name neither agrees nor disagrees on names.
  if (a.names.count === 0 || b.names.count === 0) return 0;
  const best = setEvidence(a.names, b.names, paramsOf(c).names);
  if (best > c.nameReported) detail.matched |= usedAcronym ? MATCHED.acronym | MATCHED.name : MATCHED.name;
  return Math.max(best, -c.nameDisagreementCap);
}

function addressEvidence(a: PreparedEntity, b: PreparedEntity, c: MatchConfig, detail: ScoreDetail): number {
  if (a.addresses.count === 0 || b.addresses.count === 0) return 0;
  const ev = c.addressScale * setEvidence(a.addresses, b.addresses, paramsOf(c).addresses);
  if (ev > c.nameReported) detail.matched |= MATCHED.address;
  return Math.min(Math.max(ev, -c.addressDisagreementCap), c.addressMaxEvidence);
}

function dateEvidence(a: PreparedEntity, b: PreparedEntity, c: MatchConfig, detail: ScoreDetail): number {
  if (a.dateYear.length === 0 || b.dateYear.length === 0) return 0;
  let best = Number.NEGATIVE_INFINITY;
  let bit = 0;
  for (let i = 0; i < a.dateYear.length; i++) {
    for (let j = 0; j < b.dateYear.length; j++) {
      const precision = Math.min(a.datePrecision[i]!, b.datePrecision[j]!);
      let ev: number;
      let got = 0;
      const sameYear = a.dateYear[i] === b.dateYear[j];
      if (precision === 2 && a.dateDay[i] === b.dateDay[j]) {
        ev = Math.min(a.dateWeight[i]!, b.dateWeight[j]!);
        got = MATCHED.birthDate;
      } else if (precision === 2 && sharesNear(a, i, b, j)) {
        ev = c.birthDateNear;
      } else if (precision === 1 && a.dateMonth[i] === b.dateMonth[j]) {
        // Agreement at the month only: the weight of the less precise side, which is the month's.
        ev = a.datePrecision[i] === 1 ? a.dateWeight[i]! : b.dateWeight[j]!;
        got = MATCHED.birthMonth;
      } else if (precision === 0 && sameYear) {
        ev = a.datePrecision[i] === 0 ? a.dateWeight[i]! : b.dateWeight[j]!;
        got = MATCHED.birthYear;
      } else if (
        precision === 0 &&
        (a.dateNextYear[i] === b.dateYear[j] || b.dateNextYear[j] === a.dateYear[i])
      ) {
        ev = c.adjacentYear;
      } else if (precision === 2 && a.dateMonthDay[i] === b.dateMonthDay[j]) {
        ev = c.birthDateSameDayOtherYear;
      } else {
        // Same year but a different month or day still disagrees, if less strongly.
        ev = sameYear ? -c.birthDateDisagreement / 2 : -c.birthDateDisagreement;
      }
      if (ev > best) {
        best = ev;
        bit = got;
      }
    }
  }
  detail.matched |= bit;
  return best;
}

function sharesNear(a: PreparedEntity, i: number, b: PreparedEntity, j: number): boolean {
  for (let x = a.nearStart[i]!; x < a.nearStart[i + 1]!; x++) {
    for (let y = b.nearStart[j]!; y < b.nearStart[j + 1]!; y++) if (a.nearId[x] === b.nearId[y]) return true;
  }
  return false;
}

function countryEvidence(a: PreparedEntity, b: PreparedEntity, c: MatchConfig, detail: ScoreDetail): number {
  if (a.countryId.length === 0 || b.countryId.length === 0) return 0;
  let best = 0;
  for (let i = 0; i < a.countryId.length; i++) {
    for (let j = 0; j < b.countryId.length; j++) {
      if (a.countryId[i] === b.countryId[j])
        best = Math.max(best, Math.min(a.countryWeight[i]!, b.countryWeight[j]!));
    }
  }
  if (best > 0) {
    detail.matched |= MATCHED.country;
    return best;
  }
  return -c.countryDisagreement;
}

function identifierEvidence(
  a: PreparedEntity,
  b: PreparedEntity,
  c: MatchConfig,
  detail: ScoreDetail,
): number {
  let ev = 0;
  let disagreeing = false;
  for (let i = 0; i < a.identifierId.length; i++) {
    let agreed = false;
    let sameKind = false;
    for (let j = 0; j < b.identifierId.length; j++) {
      if (a.identifierId[i] === b.identifierId[j]) {
        agreed = true;
        break;
      }
      if (a.identifierKind[i] === b.identifierKind[j]) sameKind = true;
    }
    if (agreed) {
      ev += a.identifierWeight[i]!;
      detail.identifiersMatched.push(i);
      detail.matched |= MATCHED.identifier;
    } else if (sameKind) disagreeing = true;
  }
  // Several differing documents are one fact (the two records list different papers), not several.
  if (disagreeing && ev === 0) ev -= c.identifierDisagreement;
  return ev;
}

/**
 * Scores two prepared entities into `detail` and returns the score in [0, 1]. Symmetric up to the
 * order of `identifiersMatched`; entities of incomparable kinds (person against organization)
 * score 0. Allocation-free when `detail` is reused (its array is cleared).
 */
export function scorePair(
  a: PreparedEntity,
  b: PreparedEntity,
  detail: ScoreDetail,
  config: MatchConfig = DEFAULT_MATCH_CONFIG,
): number {
  detail.matched = 0;
  detail.identifiersMatched.length = 0;
  if (!kindsComparable(a.kind, b.kind)) {
    detail.score = 0;
    detail.logOdds = Number.NEGATIVE_INFINITY;
    detail.nameEvidence = 0;
    return 0;
  }
  const name = nameEvidence(a, b, config, detail);
  const evidence =
    name +
    dateEvidence(a, b, config, detail) +
    countryEvidence(a, b, config, detail) +
    identifierEvidence(a, b, config, detail) +
    addressEvidence(a, b, config, detail);
  const population = Math.max(a.population, b.population);
  const logOdds = evidence - Math.log(population) + config.bias;
  detail.nameEvidence = name;
  detail.logOdds = logOdds;
  detail.score = 1 / (1 + Math.exp(-logOdds));
  return detail.score;
}

/**
 * The kinds of feature that matched, for a hit ("passport + name + date of birth"): identifier
 * kinds first (the strongest), then name, date, address, country. Holds no value, only kinds.
 */
export function matchedFeatures(detail: ScoreDetail, a: PreparedEntity): string[] {
  const out: string[] = [];
  for (const i of detail.identifiersMatched) {
    const kind = a.identifierKind[i];
    if (kind !== undefined && !out.includes(kind)) out.push(kind);
  }
  const m = detail.matched;
  if (m & MATCHED.acronym) out.push('name (acronym)');
  else if (m & MATCHED.name) out.push('name');
  if (m & MATCHED.birthDate) out.push('date of birth');
  else if (m & MATCHED.birthMonth) out.push('month of birth');
  else if (m & MATCHED.birthYear) out.push('year of birth');
  if (m & MATCHED.address) out.push('address');
  if (m & MATCHED.country) out.push('country');
  return out;
}

export interface CandidateOptions {
  /** Keys carried by more entities than this are skipped (over-common values cannot flood). */
  readonly maxPostings: number;
  /** At most this many candidates, the ones sharing the most (rarity-weighted) keys, are scored. */
  readonly maxCandidates: number;
  /**
   * Weight of a shared key by type (see BLOCKING), times its rarity ln(N/df): one shared token
   * brings its skeleton and several deletion keys along, which must not outweigh a second token.
   */
  readonly typeWeights: Readonly<Record<string, number>>;
}

export const DEFAULT_CANDIDATES: CandidateOptions = {
  maxPostings: 500,
  maxCandidates: 200,
  typeWeights: { n: 1, s: 0.5, d: 0.15, b: 1, i: 2, a: 0.5 },
};

/** Which indexed entities a candidate search leaves out. */
export interface CandidateFilter {
  /** The query's own position, when it is indexed. */
  readonly exclude?: number;
  /** The query's own organization: hits are between organizations. */
  readonly excludeGroup?: number;
}

/**
 * An in-memory blocking index and rarity table over encoded entities: the reference the database
 * implementation follows (postings per blocking key, counts per feature id, the same caps). Each
 * entity belongs to a group (its organization). Used by the evaluation and the benchmarks.
 */
export class CandidateIndex implements RarityTable {
  private readonly postings = new Map<string, number[]>();
  private readonly counts = new Map<string, number>();
  private readonly entities: EncodedEntity[] = [];
  private readonly groups: number[] = [];
  private accumulator = new Float64Array(0);
  private skipped = 0;

  get population(): number {
    return this.entities.length;
  }

  /** Keys skipped as over-common since the index was made (the visible cap). */
  get skippedKeys(): number {
    return this.skipped;
  }

  count(id: string): number {
    return this.counts.get(id) ?? 0;
  }

  entity(i: number): EncodedEntity {
    const e = this.entities[i];
    if (!e) throw new RangeError(`No entity ${i}`);
    return e;
  }

  group(i: number): number {
    return this.groups[i] ?? -1;
  }

  /** Adds an entity of a group (organization); returns its position. */
  add(entity: EncodedEntity, group = 0): number {
    const first = this.entities[0];
    if (first && first.keyId !== entity.keyId)
      throw new Error('Entities under different keys cannot share an index');
    const index = this.entities.length;
    this.entities.push(entity);
    this.groups.push(group);
    for (const id of featureIdsOf(entity)) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    for (const key of blockingKeysOf(entity)) {
      const list = this.postings.get(key);
      if (list) list.push(index);
      else this.postings.set(key, [index]);
    }
    return index;
  }

  /**
   * Candidate positions for a query, best first: entities sharing blocking keys, each key worth
   * its type weight times 1 + ln(N/df), keys carried by more than `maxPostings` entities skipped, at most
   * `maxCandidates` returned.
   */
  candidates(
    query: EncodedEntity,
    options: CandidateOptions = DEFAULT_CANDIDATES,
    filter: CandidateFilter = {},
  ): number[] {
    if (this.accumulator.length < this.entities.length)
      this.accumulator = new Float64Array(this.entities.length * 2);
    const acc = this.accumulator;
    const touched: number[] = [];
    const n = Math.max(this.entities.length, 1);
    const exclude = filter.exclude ?? -1;
    const excludeGroup = filter.excludeGroup ?? Number.NaN;
    for (const key of blockingKeysOf(query)) {
      const list = this.postings.get(key);
      if (!list) continue;
      if (list.length > options.maxPostings) {
        this.skipped++;
        continue;
      }
      const weight = (options.typeWeights[key[0]!] ?? 1) * (Math.log(n / list.length) + 1);
      for (const e of list) {
        if (e === exclude || this.groups[e] === excludeGroup) continue;
        if (acc[e] === 0) touched.push(e);
        acc[e]! += weight;
      }
    }
    touched.sort((x, y) => acc[y]! - acc[x]!);
    const out =
      touched.length > options.maxCandidates ? touched.slice(0, options.maxCandidates) : touched.slice();
    for (const e of touched) acc[e] = 0;
    return out;
  }
}
