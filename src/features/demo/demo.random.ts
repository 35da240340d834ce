/**
 * Deterministic randomness and well-formed identifiers for the demo scenario. The same seed gives
 * the same data on every machine, so screenshots, docs and bug reports describe the same records.
 */

/** A random source: returns floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny 32-bit PRNG; deterministic for a given seed (not for cryptography). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], inclusive. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(rng: Rng, list: readonly T[]): T {
  const v = list[Math.floor(rng() * list.length)];
  if (v === undefined) throw new Error('pick from an empty list');
  return v;
}

/** One element chosen by weight; weights need not sum to 1. */
export function weighted<T>(rng: Rng, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [v, w] of options) {
    r -= w;
    if (r < 0) return v;
  }
  const last = options[options.length - 1];
  if (!last) throw new Error('weighted pick from an empty list');
  return last[0];
}

/** `n` distinct elements (or all of them when the list is shorter), in list order. */
export function sample<T>(rng: Rng, list: readonly T[], n: number): T[] {
  const idx = list.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => list[i] as T);
}

/** A string of `n` characters drawn from `alphabet`. */
export function chars(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
  return s;
}

const DIGITS = '0123456789';

/** `n` random decimal digits. */
export function digits(rng: Rng, n: number): string {
  return chars(rng, DIGITS, n);
}

/** ISO 13616 check digits for a country code and BBAN (98 − mod 97 of the rearranged number). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.toUpperCase();
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const d of value) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return String(98 - remainder).padStart(2, '0');
}

/** True when an IBAN (spaces allowed) passes the mod-97 check. */
export function ibanIsValid(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(compact)) return false;
  return ibanCheckDigits(compact.slice(0, 2), compact.slice(4)) === compact.slice(2, 4);
}

// BBAN shapes of the IBAN countries the scenario's money moves through.
const BBAN_SHAPES: Record<string, (rng: Rng) => string> = {
  ae: (rng) => digits(rng, 19),
  cy: (rng) => digits(rng, 24),
  lv: (rng) => chars(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + digits(rng, 13),
  mt: (rng) => chars(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + digits(rng, 23),
  ge: (rng) => chars(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2) + digits(rng, 16),
  mu: (rng) => chars(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + digits(rng, 19) + 'MUR',
};

/** IBAN countries the generator knows (lower-case ISO codes). */
export const IBAN_COUNTRIES = Object.keys(BBAN_SHAPES);

/** A valid compact IBAN for one of IBAN_COUNTRIES. */
export function makeIban(rng: Rng, country: string): string {
  const shape = BBAN_SHAPES[country];
  if (!shape) throw new Error(`no IBAN shape for ${country}`);
  const bban = shape(rng);
  const cc = country.toUpperCase();
  return `${cc}${ibanCheckDigits(cc, bban)}${bban}`;
}

/** The IBAN in its printed form: groups of four. */
export function groupIban(iban: string): string {
  return iban.replace(/(.{4})/g, '$1 ').trim();
}

/** The IMO check digit: the six digits weighted 7..2, summed, modulo 10. */
export function imoCheckDigit(six: string): number {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(six[i]) * (7 - i);
  return sum % 10;
}

/** A seven-digit IMO number with a valid check digit (without the `IMO` prefix). */
export function makeImo(rng: Rng): string {
  // Ships built since the 1990s carry IMO numbers starting with 9.
  const six = `9${digits(rng, 5)}`;
  return `${six}${imoCheckDigit(six)}`;
}

/** True when a 7-digit IMO number (with or without `IMO` prefix and spaces) has a valid check digit. */
export function imoIsValid(imo: string): boolean {
  const d = imo.replace(/^IMO\s*/i, '');
  return /^\d{7}$/.test(d) && imoCheckDigit(d.slice(0, 6)) === Number(d[6]);
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

/** A Bitcoin-looking bech32 (P2WPKH-length) address. Not a real checksum: demo data only. */
export function makeBtcAddress(rng: Rng): string {
  return `bc1q${chars(rng, BECH32, 38)}`;
}

/** An Ethereum-looking address (lower-case hex). */
export function makeEthAddress(rng: Rng): string {
  return `0x${chars(rng, HEX, 40)}`;
}

/** A Tron-looking address (USDT on TRC-20 is common in laundering typologies). */
export function makeTronAddress(rng: Rng): string {
  return `T${chars(rng, BASE58, 33)}`;
}

/** Drops diacritics (José → Jose), the commonest spelling variation between agencies. */
export function stripAccents(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
}
