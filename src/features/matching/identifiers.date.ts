/** A date known to the year, the month or the day, with its ISO 8601 prefix ("1975", "1975-03", "1975-03-12"). */
export interface PartialDate {
  year: number;
  month?: number;
  day?: number;
  iso: string;
}

const MIN_YEAR = 1800;
const MAX_YEAR = 2100;

// Month names and abbreviations from the runtime's CLDR data (Intl) rather than typed-in lists:
// English first, then the languages most common in the records of European and Latin American
// agencies. A name that means different months in two languages would be dropped; none does today.
const MONTH_LOCALES = ['en', 'fr', 'es', 'pt', 'it', 'de', 'nl'];

function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\.$/, '');
}

function buildMonthNames(): Map<string, number> {
  const names = new Map<string, number>();
  const conflicts = new Set<string>();
  const add = (name: string, month: number) => {
    const key = foldWord(name);
    const seen = names.get(key);
    if (seen !== undefined && seen !== month) conflicts.add(key);
    names.set(key, month);
  };
  for (const locale of MONTH_LOCALES) {
    for (const style of ['long', 'short'] as const) {
      const format = new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' });
      for (let m = 0; m < 12; m++) add(format.format(new Date(Date.UTC(2000, m, 15))), m + 1);
    }
  }
  // English writers shorten September to "Sept" as often as to "Sep".
  add('sept', 9);
  for (const key of conflicts) names.delete(key);
  return names;
}

const MONTH_NAMES = buildMonthNames();

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function make(year: number, month?: number, day?: number): PartialDate | null {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month === undefined) return { year, iso: pad(year, 4) };
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (day === undefined) return { year, month, iso: `${pad(year, 4)}-${pad(month, 2)}` };
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day, iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

function monthNumber(word: string): number | undefined {
  return MONTH_NAMES.get(foldWord(word));
}

const SEP = '[-./\\s]';

/**
 * A partial date, or null when the text is not one or names an impossible date (2023-02-30) or a
 * year outside 1800–2100. Accepted forms:
 * - ISO: "1975", "1975-03", "1975-03-12", with a time part ("1975-03-12T10:00:00Z") ignored;
 * - year first with dots, slashes or unpadded numbers: "1975.03.12", "1975/03/12", "1975/03",
 *   "1975-3-7";
 * - day first, as written outside North America: "12/03/1975", "12.03.1975", "12-03-1975",
 *   "03/1975"; when the first number cannot be a day-first month reading but the second can
 *   ("03/25/1975") the only possible reading, month first, is taken;
 * - month names in English, French, Spanish, Portuguese, Italian, German and Dutch, full or
 *   abbreviated: "March 1975", "12 March 1975", "March 12, 1975", "12-MAR-1975", "12 mars 1975",
 *   "12 de marzo de 1975";
 * - "circa 1965", "c. 1965", "ca. 1965", "approx. 1965" as the year alone.
 * Two-digit years are refused: the century cannot be known for birth dates.
 */
export function parsePartialDate(raw: string): PartialDate | null {
  if (typeof raw !== 'string' || raw.length > 60) return null;
  const text = raw
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(?:circa|ca\.?|c\.|approx\.?|about|around)\s*(?=\d{4}$)/i, '');
  let m: RegExpExecArray | null;

  m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/.exec(
      text,
    );
  if (m?.[1]) return make(Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined);

  m = /^(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?$/.exec(text);
  if (m?.[1]) return make(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined);

  m = new RegExp(`^(\\d{1,2})${SEP}(\\d{1,2})${SEP}(\\d{4})$`).exec(text);
  if (m?.[1] && m[2] && m[3]) {
    const [first, second, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return make(year, second, first) ?? (second > 12 ? make(year, first, second) : null);
  }

  m = new RegExp(`^(\\d{1,2})${SEP}(\\d{4})$`).exec(text);
  if (m?.[1] && m[2]) return make(Number(m[2]), Number(m[1]));

  return parseWithMonthName(text);
}

function parseWithMonthName(text: string): PartialDate | null {
  // Tokens of letters or digits; "de" (Spanish, Portuguese) and "of" are fillers between them.
  const tokens = text
    .replace(/(\d)(?:st|nd|rd|th|er|º|°)(?=[\s,./-]|$)/gi, '$1')
    .split(/[\s,./-]+/)
    .filter((t) => t.length > 0 && !/^(de|del|of|the)$/i.test(t));
  const monthAt = tokens.findIndex((t) => /^\p{L}+$/u.test(t));
  if (monthAt < 0) return null;
  const month = monthNumber(tokens[monthAt]!);
  if (month === undefined) return null;
  const numbers = tokens.filter((_, i) => i !== monthAt);
  if (!numbers.every((t) => /^\d+$/.test(t))) return null;
  if (numbers.length === 1 && numbers[0]!.length === 4) return make(Number(numbers[0]), month);
  if (numbers.length !== 2) return null;
  const [a, b] = numbers as [string, string];
  // "12 March 1975" or "March 12, 1975": the day has one or two digits, the year four.
  if (a.length <= 2 && b.length === 4) return make(Number(b), month, Number(a));
  if (a.length === 4 && b.length <= 2 && monthAt < 2) return make(Number(a), month, Number(b));
  return null;
}

/** The ISO prefixes a partial date can be compared at, coarsest first ("1975", "1975-03", "1975-03-12"). */
export function datePrefixes(date: PartialDate): string[] {
  const prefixes = [pad(date.year, 4)];
  if (date.month !== undefined) prefixes.push(`${prefixes[0]}-${pad(date.month, 2)}`);
  if (date.day !== undefined) prefixes.push(date.iso);
  return prefixes;
}

/** The canonical ISO prefix of a partial date ("1975-03"), or null; see `parsePartialDate`. */
export function normalizeDate(raw: string): string | null {
  return parsePartialDate(raw)?.iso ?? null;
}
