import anyAscii from 'any-ascii';
import { normalizeCountryCode } from './identifiers.country.js';

// Cyrillic and Greek capitals that registries use as stand-ins for Latin letters: Russian,
// Ukrainian, Belarusian and Greek plates are restricted to exactly these look-alikes, and a
// document number typed on a Cyrillic keyboard layout produces them. Transliteration would turn
// "В" into "V" and "Н" into "N"; the reader of the plate sees "B" and "H". No library maps
// homoglyphs for this purpose, so the table is written out here.
const HOMOGLYPHS: Record<string, string> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  Ё: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  І: 'I',
  Ї: 'I',
  Ј: 'J',
  Ѕ: 'S',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};
const HOMOGLYPH_PATTERN = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

// Values clerks type when the number is not known; none is a number anyone holds.
const PLACEHOLDERS = new Set(['UNKNOWN', 'NONE', 'NIL', 'NULL', 'NA', 'NOTAVAILABLE', 'TBD', 'TBA']);

// "No. 123", "Nr: 123", "N° 123", "N. 123", "# 123": a label, not part of the number. A bare
// "NO 123" or "N.123" is kept, because "NO" and "N" can be the number's own letters; "NO.123"
// cannot be told from "No.123" and is read as a label.
const NUMBER_LABEL = /^\s*(?:(?:no|nr|num|number)\s*[.°º:#]|n\s*[°º]|n\.\s+|#)\s*/i;

/**
 * A document or plate number reduced to upper-case ASCII letters and digits: full-width forms
 * folded, Cyrillic/Greek look-alikes read as the Latin letters they show, other scripts
 * transliterated (so Arabic-Indic digits become ASCII digits), and every separator (spaces, dashes,
 * dots, slashes) removed, since issuers print the same number with different groupings.
 */
export function compactDocumentNumber(raw: string): string {
  // NFKC turns the numero sign into "No", which would then read as letters of the number.
  const unlabelled = raw
    .replace(/^\s*№\s*/, '')
    .normalize('NFKC')
    .replace(NUMBER_LABEL, '');
  const latin = anyAscii(unlabelled.toUpperCase().replace(HOMOGLYPH_PATTERN, (c) => HOMOGLYPHS[c] ?? c));
  return latin.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function looksLikePlaceholder(number: string): boolean {
  return PLACEHOLDERS.has(number) || /^(.)\1*$/.test(number);
}

const QUALIFIED = /^\s*([A-Za-z]{2}|AIR)\s*:\s*(.*)$/s;

/**
 * Splits an already-qualified value ("ES:X1234567", our canonical form) from the context's country;
 * null when both name a country and they differ (the value cannot belong to both issuers).
 */
function issuerAndNumber(raw: string, country: string | null | undefined): [string | null, string] | null {
  const qualified = QUALIFIED.exec(raw);
  const context = normalizeCountryCode(country);
  if (qualified?.[1] !== undefined && qualified[2] !== undefined) {
    const prefix = qualified[1].toUpperCase() === 'AIR' ? 'AIR' : normalizeCountryCode(qualified[1]);
    if (prefix) {
      if (context && prefix !== context) return null;
      return [prefix, qualified[2]];
    }
  }
  return [context, raw];
}

interface NumberRules {
  min: number;
  max: number;
  needsDigit: boolean;
  dropLeadingZeros: boolean;
}

// Passports, identity cards and registers: leading zeros are dropped because spreadsheets strip
// them from numeric-looking cells (OFAC's "01055336" arrives elsewhere as "1055336"), while an
// issuer pads its numbers to one width, so two numbers that differ only there are the same one.
const DOCUMENT_RULES: NumberRules = { min: 4, max: 30, needsDigit: true, dropLeadingZeros: true };
// Plates keep leading zeros (they are printed, not typed into spreadsheets, and "007" is a plate)
// and may be all letters (personalised plates).
const PLATE_RULES: NumberRules = { min: 2, max: 15, needsDigit: false, dropLeadingZeros: false };

function documentNumber(raw: string, rules: NumberRules): string | null {
  let number = compactDocumentNumber(raw);
  if (rules.dropLeadingZeros) number = number.replace(/^0+/, '');
  if (number.length < rules.min || number.length > rules.max) return null;
  if (rules.needsDigit && !/\d/.test(number)) return null;
  return looksLikePlaceholder(number) ? null : number;
}

function qualifiedNumber(raw: string, country: string | null | undefined, rules: NumberRules): string | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const [issuer, text] = issuerAndNumber(raw, country) ?? [null, ''];
  if (!issuer || issuer === 'AIR') return null;
  const number = documentNumber(text, rules);
  return number ? `${issuer}:${number}` : null;
}

/**
 * The number of a document alone, without its issuer (see `compactDocumentNumber`; leading zeros
 * dropped), or null when too short, without a digit, or a placeholder. Used when the issuing
 * country is missing on one side: weaker evidence than the qualified forms below.
 */
export function normalizeDocumentNumber(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const split = issuerAndNumber(raw, null);
  return split ? documentNumber(split[1], DOCUMENT_RULES) : null;
}

/**
 * A passport number with its issuing country, `XX:NUMBER` ("ES:XDA123456"), or null when the
 * country is not an ISO alpha-2 code (see `normalizeCountryCode`) or the number is unusable. The
 * number is compacted (`compactDocumentNumber`) and loses its leading zeros.
 */
export function normalizePassportNumber(raw: string, country: string | null | undefined): string | null {
  return qualifiedNumber(raw, country, DOCUMENT_RULES);
}

/**
 * A national identity, tax or social-security number with its issuing country, `XX:NUMBER`, under
 * the same rules as passport numbers.
 */
export function normalizeIdNumber(raw: string, country: string | null | undefined): string | null {
  return qualifiedNumber(raw, country, DOCUMENT_RULES);
}

/**
 * A company registration number with its jurisdiction, `XX:NUMBER` ("GB:445790"), under the same
 * rules as passport numbers. Decision: separators and leading zeros are not significant (Companies
 * House prints "00445790", a spreadsheet keeps "445790"); letters are, since registers use them as
 * part of the number (Scottish "SC…", Spanish CIF "B…"). Check digits written after a dash
 * ("900345938-9") stay part of the number: dropping them would need each register's rules.
 */
export function normalizeCompanyRegistration(
  raw: string,
  jurisdiction: string | null | undefined,
): string | null {
  return qualifiedNumber(raw, jurisdiction, DOCUMENT_RULES);
}

/**
 * A vehicle registration plate with its registering country, `XX:PLATE` ("DE:BAB1234"): upper
 * case, separators removed, Cyrillic/Greek look-alike letters read as Latin, leading zeros kept.
 * Also accepts an aircraft's `AIR:` form (see `normalizeAircraftRegistration`).
 */
export function normalizeVehicleRegistration(raw: string, country: string | null | undefined): string | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  if (/^\s*AIR\s*:/i.test(raw)) return normalizeAircraftRegistration(raw);
  return qualifiedNumber(raw, country, PLATE_RULES);
}

/**
 * An aircraft registration mark as `AIR:MARK` ("AIR:DABCD" for "D-ABCD"). Marks begin with the
 * ICAO nationality prefix, so they are unique worldwide and need no country; "AIR" cannot be
 * mistaken for an alpha-2 code.
 */
export function normalizeAircraftRegistration(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const mark = compactDocumentNumber(raw.replace(/^\s*AIR\s*:/i, ''));
  if (!/^[A-Z0-9]{3,10}$/.test(mark) || looksLikePlaceholder(mark)) return null;
  return `AIR:${mark}`;
}

const IMO_LABEL = /^\s*IMO\s*(?:(?:no|nr|number|num)\b\.?)?\s*[:#]?\s*/i;

function sevenDigits(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 50) return null;
  const digits = raw
    .normalize('NFKC')
    .replace(IMO_LABEL, '')
    .replace(/[\s.-]/g, '');
  return /^\d{7}$/.test(digits) ? digits : null;
}

function shipCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
  return sum % 10;
}

function companyCheckDigit(digits: string): number {
  const weights = [8, 6, 4, 2, 9, 7];
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (weights[i] ?? 0);
  return (11 - (sum % 11)) % 10;
}

/** Whose IMO number: a ship's (SOLAS XI-1/3) or a company's / registered owner's (MSC.160(78)). */
export type ImoHolder = 'ship' | 'company';

/**
 * An IMO number as its seven digits ("9074729"), accepting "IMO 9074729", "IMO No. 9074729" and
 * the like, or null unless the check digit holds. A ship's check digit is the last digit of the
 * first six digits weighted 7…2; a company's is (11 − Σ weights 8,6,4,2,9,7 mod 11) mod 10.
 * Written by hand: no maintained JavaScript library validates IMO numbers.
 */
export function normalizeImo(raw: string, holder: ImoHolder = 'ship'): string | null {
  const digits = sevenDigits(raw);
  if (!digits || /^0+$/.test(digits)) return null;
  const check = holder === 'ship' ? shipCheckDigit(digits) : companyCheckDigit(digits);
  return check === Number(digits[6]) ? digits : null;
}

/**
 * A ship station's MMSI as its nine digits, or null. Ships' MMSIs begin with their three Maritime
 * Identification Digits (MID, 2xx–7xx, the flag's ITU allocation), which stay part of the value:
 * a re-flagged ship gets a new MMSI. Coast stations (00…), group calls (0…), SAR aircraft (111…),
 * handhelds (8…) and AIS-SART/MOB/EPIRB and navigation aids (9…) are not ships and give null.
 */
export function normalizeMmsi(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 50) return null;
  const digits = raw
    .normalize('NFKC')
    .replace(/^\s*MMSI\s*(?:no\b\.?)?\s*[:#]?\s*/i, '')
    .replace(/[\s.-]/g, '');
  return /^[2-7]\d{8}$/.test(digits) ? digits : null;
}

/** The Maritime Identification Digits (flag allocation) of a normalized ship MMSI. */
export function mmsiMid(mmsi: string): string | null {
  return /^[2-7]\d{8}$/.test(mmsi) ? mmsi.slice(0, 3) : null;
}
