import * as ftm from '@opensanctions/followthemoney';

// FollowTheMoney's country vocabulary (what records store): lower-case codes → English labels.
const FTM_COUNTRIES: Record<string, string> = ftm.defaultModel.types.country?.values ?? {};

// ISO 3166-1 "exceptionally reserved" codes that registries and EU documents use in place of the
// assigned ones (UK for GB on vehicles and in EU texts, EL for Greece in EU VAT and documents).
const EXCEPTIONAL_RESERVATIONS: Record<string, string> = { UK: 'GB', EL: 'GR' };

// "Global" in FtM, not an issuer; an identifier "issued by zz" carries no country at all.
const NOT_AN_ISSUER = new Set(['ZZ']);

const BY_LABEL = new Map<string, string>();
for (const [code, label] of Object.entries(FTM_COUNTRIES)) {
  if (code.length === 2) BY_LABEL.set(label.toLowerCase(), code.toUpperCase());
}

/**
 * The ISO 3166-1 alpha-2 code (upper case) of a country given as an alpha-2 code in any case (as
 * FollowTheMoney stores it), an exceptionally reserved code (UK, EL) or FtM's English label
 * ("United Kingdom"); null for anything else, including alpha-3 codes: no installed library maps
 * alpha-3 codes, and guessing them by hand (e.g. "AUT" vs "AUS") would merge different issuers.
 * FtM's historical and disputed-territory codes ("suhh", "ua-cri") are not issuers of current
 * identifiers and give null.
 */
export function normalizeCountryCode(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (trimmed.length === 2) {
    const upper = trimmed.toUpperCase();
    const code = EXCEPTIONAL_RESERVATIONS[upper] ?? upper;
    if (NOT_AN_ISSUER.has(code)) return null;
    return FTM_COUNTRIES[code.toLowerCase()] !== undefined ? code : null;
  }
  const byLabel = BY_LABEL.get(trimmed.toLowerCase());
  return byLabel && !NOT_AN_ISSUER.has(byLabel) ? byLabel : null;
}
