import { createHmac, hkdfSync } from 'node:crypto';
import {
  type NameKind,
  type NameToken,
  type NormalizedName,
  normalizeAddress,
  normalizeName,
} from './names.js';

/*
 * Blind encodings: what the matcher stores and compares instead of names, dates and identifiers.
 *
 * Two primitives, both under a secret platform (or federation) key with an id:
 *
 * 1. Keyed identifiers: HMAC-SHA-256 (node:crypto) of a namespaced, normalized value, cut to 96
 *    bits and written base64url (16 characters). Used for exact features (identifiers, dates,
 *    countries, name tokens, skeletons, acronyms) and, being the same values, as blocking keys and
 *    as the keys of the rarity table (how many indexed entities carry a feature). Without the key
 *    a dictionary of names or document numbers cannot be hashed, so the ids cannot be reversed by
 *    trial; what they do leak is equality, hence frequency (see below).
 *
 * 2. Keyed bigram Bloom filters for fuzzy comparison (Schnell, Bachteler & Reiher 2009; per
 *    field rather than one record-level CLK, so each field keeps its own similarity): every padded
 *    bigram of a token sets k bits whose positions come from an HMAC of the field and the bigram
 *    ("random hashing": Niedermeyer, Steinmetzer, Kroll & Schnell 2014 reconstructed names from
 *    filters built with the usual double hashing, whose positions follow a linear pattern an
 *    attacker can exploit; HMAC-derived positions have none and depend on the key). Filters are
 *    compared by the Dice coefficient of their set bits.
 *
 * Hardening against frequency and pattern-mining attacks (Kuzu, Kantarcioglu, Durham & Malin 2011;
 * Christen, Ranbaduge, Vatsalan & Schnell 2019; Vidanage, Ranbaduge, Christen & Schnell 2019), and
 * why these choices:
 *  - Field salting (record-independent): each kind of filter (whole name, name token, address
 *    word, whole address) has its own positions, so the same bigram leaves different traces in
 *    different fields and frequent bigram patterns cannot be pooled across fields.
 *  - XOR-folding (Schnell, Borgs & Encarnação 2016): filters are built at twice their size and the
 *    two halves XORed. An output bit no longer says "some bigram mapped here": two bigrams landing
 *    on the two halves cancel, which breaks the one-bit-per-bigram-position link that
 *    pattern-mining attacks rebuild, at a small cost in Dice precision (folded against unfolded on
 *    the evaluation sets: see the report of issue 4).
 *  - No random bit noise (BLIP, Schnell & Borgs 2016): noise drawn per encoding breaks the
 *    determinism organizations need to compare, and noise fixed per value protects nothing. No
 *    salting with a record attribute such as the year of birth (Christen, Ranbaduge & Schnell,
 *    "Linking Sensitive Data", 2020): every pair whose salt attribute is missing or mistyped
 *    becomes unmatchable, which costs recall on exactly the hard cases.
 *  - No balancing (balanced Bloom filters, Schnell & Borgs 2016): a filter concatenated with its
 *    complement has a constant weight, and Dice on such filters becomes 1 − Hamming/m, where the
 *    many common zeros of sparse token filters squeeze unrelated and similar tokens together.
 * Residual leak, accepted and documented: keyed ids are deterministic, so whoever reads the match
 * tables sees which records share a value and how often each value occurs; aligning the commonest
 * token ids with public name frequencies can name the commonest given names, which are also the
 * least identifying (that is why they weigh least). Rare values, the identifying ones, have flat
 * frequencies and resist alignment. Hence DOMAIN.md: never export blind keys in bulk. A token of
 * an organization name also says, in the clear, whether it is one of the generic words of
 * `names.ts` ("bank", "trading"): that tells a reader what kind of body, never which one.
 */

/** A secret matching key. `id` is stored with every encoding so a rotation can find what to re-encode. */
export interface BlindKey {
  readonly id: string;
  /** At least 32 random bytes; never stored with the encodings. */
  readonly secret: Uint8Array;
}

/** A date known to the year, the month or the day. */
export interface PartialDate {
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
}

/** An exact identifier, already normalized by the identifiers modules (E.164 phone, IBAN, passport…). */
export interface ExactFeature {
  readonly kind: string;
  readonly value: string;
}

/** What an owner's record contributes to matching, in the clear, before encoding. */
export interface MatchInput {
  readonly kind: NameKind;
  readonly names: readonly string[];
  readonly birthDates?: readonly PartialDate[];
  /** ISO 3166-1 alpha-2 codes (or any consistently normalized country value). */
  readonly countries?: readonly string[];
  readonly identifiers?: readonly ExactFeature[];
  readonly addresses?: readonly string[];
}

export interface EncodedToken {
  /** Keyed id of the token text (also its blocking and rarity key). */
  readonly id: string;
  /** Keyed id of the token's consonant skeleton. */
  readonly skeleton: string;
  /** Keyed bigram Bloom filter of the token, base64. */
  readonly filter: string;
  /** From a script without short vowels: only its skeleton can meet a romanization. */
  readonly consonantal: boolean;
  /** A generic word of organization names (see `NameToken.generic`); absent otherwise. */
  readonly generic?: true;
}

/**
 * An acronym or joined run of tokens, keyed in the token namespace: "IRGC" as a token meets the
 * acronym of the long form. A joined run also comes as kind `skeleton`, keyed in the skeleton
 * namespace, which meets a token's skeleton ("Kheir Beik"/"Khayrbik").
 */
export interface EncodedCompound {
  readonly id: string;
  readonly kind: 'acronym' | 'joined' | 'skeleton';
  /** Positions in the name's `tokens` it stands for. */
  readonly covers: readonly number[];
}

export interface EncodedName {
  readonly tokens: readonly EncodedToken[];
  readonly compounds: readonly EncodedCompound[];
  /** Keyed bigram Bloom filter of the whole name (union of its tokens' bigrams), base64. */
  readonly filter: string;
}

export interface EncodedDate {
  readonly precision: 'year' | 'month' | 'day';
  readonly year: string;
  /** Id of the following year, to recognise adjacent years ("circa 1965" against 1966). */
  readonly nextYear: string;
  readonly month?: string;
  readonly day?: string;
  /** Ids of the date with one digit masked, and with day and month sorted: one typo apart still meets. */
  readonly near?: readonly string[];
  /** Id of the day and month without the year: the year is the part of a date most often mistyped. */
  readonly monthDay?: string;
}

export interface EncodedIdentifier {
  readonly kind: string;
  readonly id: string;
}

/** A blind entity: only keyed ids and keyed Bloom filters, nothing from which a raw value can be read. */
export interface EncodedEntity {
  readonly version: 1;
  readonly keyId: string;
  readonly kind: NameKind;
  readonly names: readonly EncodedName[];
  readonly birthDates: readonly EncodedDate[];
  readonly countries: readonly string[];
  readonly identifiers: readonly EncodedIdentifier[];
  /** Addresses as token sets, like names (keyed in their own namespaces). */
  readonly addresses: readonly EncodedName[];
  /** Blocking keys: a `BLOCKING` type letter and a keyed id (see `blockingKeysOf`). */
  readonly keys: readonly string[];
}

/** Sizes of the Bloom filters, in bits after folding, and bits set per bigram. */
export interface BloomShape {
  readonly bits: number;
  readonly hashes: number;
}

export interface EncodingConfig {
  readonly token: BloomShape;
  readonly name: BloomShape;
  readonly address: BloomShape;
  /** XOR-fold filters built at twice their size (see the header comment). */
  readonly fold: boolean;
}

/**
 * Default shapes. Whole-name and address filters at 512 bits keep a 40-character name under a
 * third full with k=5; token filters at 128 bits hold the ~10 bigrams of a token at k=4. All are
 * multiples of 32 so that comparison runs on 32-bit words.
 */
export const DEFAULT_ENCODING: EncodingConfig = {
  token: { bits: 128, hashes: 4 },
  name: { bits: 512, hashes: 5 },
  address: { bits: 512, hashes: 4 },
  fold: true,
};

/**
 * One-letter type prefix of a blocking key. The type says which kind of value two entities share
 * (never the value), so a candidate search can weigh a shared document above a shared skeleton.
 */
export const BLOCKING = {
  name: 'n',
  skeleton: 's',
  nearSkeleton: 'd',
  birthDate: 'b',
  identifier: 'i',
  address: 'a',
} as const;

const ID_BYTES = 12;
const CACHE_LIMIT = 500_000;

type BloomField = 'token' | 'name' | 'address-token' | 'address';

// Names and addresses are keyed in separate namespaces: a street called like a person never
// counts as a shared name, and their rarities are counted apart.
const NAME_SPACES = {
  token: 'token',
  skeleton: 'skeleton',
  tokenFilter: 'token',
  wholeFilter: 'name',
} as const;
const ADDRESS_SPACES = {
  token: 'address-word',
  // Address words have no skeleton of their own (see normalizeAddress): the word's id serves.
  skeleton: null,
  tokenFilter: 'address-token',
  wholeFilter: 'address',
} as const;
type Spaces = typeof NAME_SPACES | typeof ADDRESS_SPACES;

/**
 * Encodes match inputs under one key. Deterministic: the same input and key give the same
 * encoding in every organization and process, so encodings made apart compare. Caches keyed ids
 * and bigram positions (names, dates and bigrams repeat a lot), bounded in size.
 */
export class BlindEncoder {
  readonly keyId: string;
  private readonly idKey: Buffer;
  private readonly bloomKey: Buffer;
  private readonly config: EncodingConfig;
  // Caches, bounded: ids per namespace (no string concatenation on a hit), and bigram positions
  // per field in a flat table indexed by the two character codes (tokens are ASCII).
  private readonly ids = new Map<string, Map<string, string>>();
  private cachedIds = 0;
  private readonly positions = new Map<BloomField, { table: Uint16Array; filled: Uint8Array }>();

  constructor(key: BlindKey, config: EncodingConfig = DEFAULT_ENCODING) {
    if (key.secret.length < 32) throw new Error('A blind key needs at least 32 secret bytes');
    for (const shape of [config.token, config.name, config.address]) {
      if (shape.bits % 32 !== 0 || shape.bits > 32_768 || shape.hashes < 1 || shape.hashes > 16)
        throw new Error('Bloom filters need a multiple of 32 bits (at most 32768) and 1 to 16 hashes');
    }
    this.keyId = key.id;
    this.config = config;
    // Separate subkeys: knowing the Bloom positions of a bigram says nothing of the exact ids.
    this.idKey = Buffer.from(hkdfSync('sha256', key.secret, 'entente-match', 'exact-ids/v1', 32));
    this.bloomKey = Buffer.from(hkdfSync('sha256', key.secret, 'entente-match', 'bloom-positions/v1', 32));
  }

  /** The keyed id of a value in a namespace ("token", "passport"…): 96 bits, base64url. */
  keyed(namespace: string, value: string): string {
    let cache = this.ids.get(namespace);
    if (!cache) {
      cache = new Map();
      this.ids.set(namespace, cache);
    }
    const cached = cache.get(value);
    if (cached !== undefined) return cached;
    const id = createHmac('sha256', this.idKey)
      .update(`${namespace}\u0000${value}`)
      .digest()
      .subarray(0, ID_BYTES)
      .toString('base64url');
    if (this.cachedIds >= CACHE_LIMIT) {
      for (const m of this.ids.values()) m.clear();
      this.cachedIds = 0;
    }
    cache.set(value, id);
    this.cachedIds++;
    return id;
  }

  /** The k positions of a bigram (two character codes below 128) in a field's filter, from an HMAC of both. */
  private bigramPositions(
    field: BloomField,
    a: number,
    b: number,
    shape: BloomShape,
    width: number,
  ): Uint16Array {
    let cache = this.positions.get(field);
    if (!cache) {
      cache = { table: new Uint16Array(128 * 128 * shape.hashes), filled: new Uint8Array(128 * 128) };
      this.positions.set(field, cache);
    }
    const code = a * 128 + b;
    const at = code * shape.hashes;
    if (!cache.filled[code]) {
      const digest = createHmac('sha256', this.bloomKey)
        .update(`${field}\u0000${String.fromCharCode(a, b)}`)
        .digest();
      for (let i = 0; i < shape.hashes; i++) cache.table[at + i] = digest.readUInt16BE(i * 2) % width;
      cache.filled[code] = 1;
    }
    return cache.table.subarray(at, at + shape.hashes);
  }

  /** A keyed Bloom filter of the padded bigrams of the given words, folded if configured. */
  bloom(field: BloomField, words: readonly string[]): Uint32Array {
    const shape = field === 'address-token' ? this.config.token : this.config[field];
    const width = this.config.fold ? shape.bits * 2 : shape.bits;
    const wide = new Uint32Array(width / 32);
    const PAD = 95; // "_"
    for (const word of words) {
      // Tokens are folded ASCII; anything else would not fit the position table and is skipped.
      let previous = PAD;
      for (let i = 0; i <= word.length; i++) {
        const current = i < word.length ? word.charCodeAt(i) : PAD;
        if (current >= 128) {
          previous = PAD;
          continue;
        }
        for (const p of this.bigramPositions(field, previous, current, shape, width))
          wide[p >>> 5]! |= 1 << (p & 31);
        previous = current;
      }
    }
    if (!this.config.fold) return wide;
    const half = shape.bits / 32;
    const out = new Uint32Array(half);
    for (let i = 0; i < half; i++) out[i] = wide[i]! ^ wide[i + half]!;
    return out;
  }

  private encodeTokenSet(normalized: NormalizedName, spaces: Spaces): EncodedName {
    return {
      tokens: normalized.tokens.map((t) => ({
        id: this.keyed(spaces.token, t.text),
        skeleton: spaces.skeleton
          ? this.keyed(spaces.skeleton, t.skeleton)
          : this.keyed(spaces.token, t.text),
        filter: filterToBase64(this.bloom(spaces.tokenFilter, [t.text])),
        consonantal: t.consonantal,
        ...(t.generic ? { generic: true as const } : {}),
      })),
      compounds: normalized.compounds.flatMap((c): EncodedCompound[] => [
        { id: this.keyed(spaces.token, c.text), kind: c.kind, covers: c.covers },
        ...(c.skeleton && spaces.skeleton
          ? [{ id: this.keyed(spaces.skeleton, c.skeleton), kind: 'skeleton' as const, covers: c.covers }]
          : []),
      ]),
      filter: filterToBase64(
        this.bloom(
          spaces.wholeFilter,
          normalized.tokens.map((t) => t.text),
        ),
      ),
    };
  }

  private encodeDate(date: PartialDate): EncodedDate | null {
    const { year, month, day } = date;
    if (!Number.isInteger(year) || year < 1 || year > 9999) return null;
    const y = String(year).padStart(4, '0');
    const base = {
      year: this.keyed('dob-year', y),
      nextYear: this.keyed('dob-year', String(year + 1).padStart(4, '0')),
    };
    if (month === undefined || !Number.isInteger(month) || month < 1 || month > 12)
      return { precision: 'year', ...base };
    const m = String(month).padStart(2, '0');
    const withMonth = { ...base, month: this.keyed('dob-month', `${y}-${m}`) };
    if (day === undefined || !Number.isInteger(day) || day < 1 || day > 31)
      return { precision: 'month', ...withMonth };
    const d = String(day).padStart(2, '0');
    const digits = `${y}${m}${d}`;
    const near: string[] = [];
    for (let i = 0; i < digits.length; i++) {
      near.push(this.keyed('dob-near', `${digits.slice(0, i)}?${digits.slice(i + 1)}`));
    }
    // Day and month exchanged (US against European order) is the commonest date error after typos.
    near.push(this.keyed('dob-near', `${y}:${[m, d].sort().join('/')}`));
    return {
      precision: 'day',
      ...withMonth,
      day: this.keyed('dob-day', `${y}-${m}-${d}`),
      near,
      monthDay: this.keyed('dob-month-day', `${m}-${d}`),
    };
  }

  /**
   * Encodes one entity. Guarantees: only keyed ids and keyed filters are returned; names without
   * any token, invalid dates and empty values are left out; duplicate values are encoded once.
   */
  encode(input: MatchInput): EncodedEntity {
    const names: EncodedName[] = [];
    const nameTokens: (readonly NameToken[])[] = [];
    const seenNames = new Set<string>();
    for (const raw of input.names) {
      const normalized = normalizeName(raw, input.kind);
      if (normalized.tokens.length === 0) continue;
      const signature = normalized.tokens
        .map((t) => t.text)
        .sort()
        .join(' ');
      if (seenNames.has(signature)) continue;
      seenNames.add(signature);
      nameTokens.push(normalized.tokens);
      names.push(this.encodeTokenSet(normalized, NAME_SPACES));
    }
    const birthDates: EncodedDate[] = [];
    for (const date of input.birthDates ?? []) {
      const encoded = this.encodeDate(date);
      if (
        encoded &&
        !birthDates.some(
          (b) => (b.day ?? b.month ?? b.year) === (encoded.day ?? encoded.month ?? encoded.year),
        )
      )
        birthDates.push(encoded);
    }
    const countries = unique(
      (input.countries ?? [])
        .filter((c) => c.trim() !== '')
        .map((c) => this.keyed('country', c.trim().toUpperCase())),
    );
    const identifiers: EncodedIdentifier[] = [];
    const seenIds = new Set<string>();
    for (const { kind, value } of input.identifiers ?? []) {
      if (!value) continue;
      const id = this.keyed(`id:${kind}`, value);
      if (seenIds.has(id)) continue;
      seenIds.add(id);
      identifiers.push({ kind, id });
    }
    const keys = new Set<string>();
    for (const tokens of nameTokens) this.addNameKeys(tokens, keys);
    for (const name of names)
      for (const c of name.compounds)
        keys.add(`${c.kind === 'skeleton' ? BLOCKING.skeleton : BLOCKING.name}${c.id}`);
    for (const d of birthDates) if (d.day) keys.add(`${BLOCKING.birthDate}${d.day}`);
    for (const i of identifiers) keys.add(`${BLOCKING.identifier}${i.id}`);
    const addresses: EncodedName[] = [];
    const seenAddresses = new Set<string>();
    for (const raw of input.addresses ?? []) {
      const normalized = normalizeAddress(raw);
      const signature = normalized.tokens.map((t) => t.text).join(' ');
      if (normalized.tokens.length === 0 || seenAddresses.has(signature)) continue;
      seenAddresses.add(signature);
      const encoded = this.encodeTokenSet(normalized, ADDRESS_SPACES);
      addresses.push(encoded);
      for (const t of encoded.tokens) keys.add(`${BLOCKING.address}${t.id}`);
    }
    return {
      version: 1,
      keyId: this.keyId,
      kind: input.kind,
      names,
      birthDates,
      countries,
      identifiers,
      addresses,
      keys: [...keys],
    };
  }

  /**
   * Blocking keys of a name: its tokens and skeletons (its compounds are added by the caller,
   * in the token namespace: "Petro Plus" meets "Petroplus"); and the skeleton's one-deletion neighbourhood
   * (Mor & Fraenkel's deletion method, as in FastSS/SymSpell), so that two skeletons one consonant
   * apart ("zimovski"/"zimousky") still share a key. Short skeletons get no neighbourhood: their
   * deletions would be shared by most names.
   */
  private addNameKeys(tokens: readonly NameToken[], keys: Set<string>): void {
    for (const t of tokens) {
      keys.add(`${BLOCKING.name}${this.keyed('token', t.text)}`);
      keys.add(`${BLOCKING.skeleton}${this.keyed('skeleton', t.skeleton)}`);
      // A three-letter skeleton has no deletions of its own but is one of a four-letter one's
      // ("krm"/"krmn": Crimea/Crimean).
      if (t.skeleton.length === 3)
        keys.add(`${BLOCKING.nearSkeleton}${this.keyed('skeleton-deletion', t.skeleton)}`);
      if (t.skeleton.length >= 4) {
        keys.add(`${BLOCKING.nearSkeleton}${this.keyed('skeleton-deletion', t.skeleton)}`);
        for (let k = 0; k < t.skeleton.length; k++) {
          keys.add(
            `${BLOCKING.nearSkeleton}${this.keyed('skeleton-deletion', t.skeleton.slice(0, k) + t.skeleton.slice(k + 1))}`,
          );
        }
      }
    }
  }
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** A filter as base64 (little-endian 32-bit words), the form encodings are stored and sent in. */
export function filterToBase64(filter: Uint32Array): string {
  return Buffer.from(filter.buffer, filter.byteOffset, filter.byteLength).toString('base64');
}

/** The inverse of `filterToBase64`; throws on a length that is not whole 32-bit words. */
export function filterFromBase64(encoded: string): Uint32Array {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length % 4 !== 0) throw new Error('A Bloom filter is a whole number of 32-bit words');
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readUInt32LE(i * 4);
  return out;
}

/**
 * Every keyed id of an entity that the rarity table counts (each once per entity): tokens,
 * skeletons, compounds, dates, countries, identifiers and address words. The population's counts of these ids
 * give the weights of agreement (a shared rare token is strong evidence, a shared common one weak).
 */
export function featureIdsOf(entity: EncodedEntity): string[] {
  const out = new Set<string>();
  for (const name of entity.names) {
    for (const t of name.tokens) {
      out.add(t.id);
      out.add(t.skeleton);
    }
    for (const c of name.compounds) out.add(c.id);
  }
  for (const d of entity.birthDates) {
    out.add(d.year);
    if (d.month) out.add(d.month);
    if (d.day) out.add(d.day);
  }
  for (const c of entity.countries) out.add(c);
  for (const i of entity.identifiers) out.add(i.id);
  for (const a of entity.addresses) {
    for (const t of a.tokens) {
      out.add(t.id);
      out.add(t.skeleton);
    }
    for (const c of a.compounds) out.add(c.id);
  }
  return [...out];
}

/**
 * The blocking keys of an entity: the keyed values a candidate search looks up (name tokens,
 * skeletons and their one-deletion neighbourhoods, joined adjacent tokens, acronyms, full dates
 * of birth, identifiers, address words); never a year or a country alone, too common to select
 * anything. A key shared by too many entities is skipped at query time (see `CandidateIndex`),
 * not here, since commonness depends on the population.
 */
export function blockingKeysOf(entity: EncodedEntity): readonly string[] {
  return entity.keys;
}

/** Throws unless both encodings were made under the same key: ids under different keys never meet. */
export function assertSameKey(a: EncodedEntity, b: EncodedEntity): void {
  if (a.keyId !== b.keyId)
    throw new Error(`Encodings under different keys (${a.keyId}, ${b.keyId}): re-encode first`);
}
