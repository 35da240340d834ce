import { domainToASCII } from 'node:url';
// The `max` metadata carries each country's number-range patterns; the default `min` metadata only
// checks lengths, so its isValid() would accept numbers that cannot exist.
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { normalizeCountryCode } from './identifiers.country.js';

function phoneCountry(raw: string | undefined): CountryCode | undefined {
  const code = normalizeCountryCode(raw);
  return code && isSupportedCountry(code) ? code : undefined;
}

function validE164(text: string, defaultCountry: CountryCode | undefined): string | null {
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : undefined);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * A phone number in E.164 form ("+442079460958"), or null unless libphonenumber's full metadata
 * says the number is valid: merely *possible* numbers (right length, unassigned range) are left
 * out, since a wrong guess at a number's country would link strangers. National numbers are read
 * in `defaultCountry` (the owning organization's country, ISO alpha-2 in any case). Extensions
 * are dropped: they select a desk behind one line, and the line is what two agencies share.
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const country = phoneCountry(defaultCountry);
  try {
    const direct = validE164(raw, country);
    if (direct) return direct;
    // "0044 20 …" is how most of the world (ITU-T E.164 00 prefix) writes international numbers;
    // read it as "+44 …" when the owner's country is unknown or uses another prefix (011 in NANP).
    const international = raw.trim().replace(/^\(?00\)?[\s.-]*/, '+');
    return international !== raw.trim() ? validE164(international, undefined) : null;
  } catch {
    return null;
  }
}

// Mailbox providers documented to deliver every dotted variant of a local part to one mailbox.
// Other providers (Outlook, Yahoo, corporate servers) treat dots as significant, so stripping them
// there would merge different people.
const DOT_BLIND_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

// RFC 5322 atom characters, plus letters and digits of any script (RFC 6531 internationalized mail).
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * An e-mail address in the form two holders of the same mailbox would both produce, or null when
 * the text is not an address. Decisions (after what validator.js's normalizeEmail and the main
 * providers document):
 * - trimmed, "mailto:" and a display name ("Ana <ana@…>") removed, lower-cased throughout: the
 *   local part is case-sensitive in RFC 5321 but no public provider treats it so;
 * - the domain converted to its IDNA ASCII form, so "ö" and "xn--…" spellings meet;
 * - a "+tag" sub-address (RFC 5233) removed for every domain: "+" is the delimiter of Gmail,
 *   Outlook, iCloud, Proton, Fastmail and the usual Postfix/Exim setting, and a "+" that is part of
 *   a real mailbox name is rare enough that missing such a pair costs less than missing tagged ones;
 * - dots removed only for gmail.com (and googlemail.com, folded into gmail.com), the only large
 *   provider that ignores them; Yahoo's "-keyword" aliases are not undone, because the base name
 *   before "-" is not the account name;
 * - quoted local parts and IP-literal domains are refused: they do not occur in the data we match.
 */
export function normalizeEmail(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 320) return null;
  let text = raw.trim();
  const bracketed = /<([^<>]*)>\s*$/.exec(text);
  if (bracketed?.[1] !== undefined) text = bracketed[1].trim();
  text = text.replace(/^mailto:/i, '').toLowerCase();
  const at = text.lastIndexOf('@');
  if (at <= 0 || text.indexOf('@') !== at) return null;
  let local = text.slice(0, at);
  let domain = text.slice(at + 1).replace(/\.$/, '');
  if (!LOCAL_PART.test(local)) return null;
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  domain = domainToASCII(domain);
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)) || /^\d+$/.test(labels.at(-1) ?? '')) {
    return null;
  }
  const dotBlind = DOT_BLIND_DOMAINS[domain];
  if (dotBlind) {
    local = local.replaceAll('.', '');
    domain = dotBlind;
  }
  if (local.length === 0 || local.length > 64 || local.startsWith('.') || local.endsWith('.')) return null;
  if (local.includes('..')) return null;
  return `${local}@${domain}`;
}
