import { foldForSearch, skeletonOf } from './search.fold.js';

/** One field of a record with the matched words marked. */
export interface Highlight {
  field: string;
  fragment: string;
}

/** The words of a query as they are matched: folded, without websearch operators and negated words. */
export interface QueryWords {
  words: string[];
  skeletons: Set<string>;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FRAGMENT_CHARS = 200;
const CONTEXT_BEFORE = 60;

/** Splits a websearch query into the folded words a highlight looks for (negated words are left out). */
export function queryWords(q: string): QueryWords {
  const words: string[] = [];
  for (const token of q.split(/\s+/)) {
    if (token.length === 0 || token.startsWith('-') || token.toLowerCase() === 'or') continue;
    for (const m of foldForSearch(token).matchAll(WORD)) words.push(m[0]);
  }
  return { words: [...new Set(words)], skeletons: new Set(words.map(skeletonOf)) };
}

/** The text a fuzzy name search compares: the query's words, folded by SQL, without operators. */
export function fuzzyText(q: string): string {
  return q
    .split(/\s+/)
    .filter((t) => t.length > 0 && !t.startsWith('-') && t.toLowerCase() !== 'or')
    .map((t) => t.replaceAll('"', ''))
    .join(' ');
}

function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

function similar(a: string, b: string): boolean {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let common = 0;
  for (const t of ta) if (tb.has(t)) common++;
  return common / (ta.size + tb.size - common) >= 0.5;
}

function matches(token: string, query: QueryWords, fuzzy: boolean): boolean {
  const folded = foldForSearch(token);
  if (query.words.includes(folded)) return true;
  if (!fuzzy) return false;
  if (query.skeletons.has(skeletonOf(folded))) return true;
  return query.words.some((w) => (w.length >= 3 && folded.startsWith(w)) || similar(w, folded));
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The text with every matching word wrapped in `<mark>` and everything else HTML-escaped, cut to
 * a window around the first match for long values; null when no word matches.
 */
export function markText(text: string, query: QueryWords, fuzzy: boolean): string | null {
  const hits: [number, number][] = [];
  for (const m of text.matchAll(WORD)) {
    if (matches(m[0], query, fuzzy)) hits.push([m.index, m.index + m[0].length]);
  }
  const first = hits[0];
  if (!first) return null;
  let start = 0;
  let end = text.length;
  if (text.length > FRAGMENT_CHARS) {
    start = Math.max(0, first[0] - CONTEXT_BEFORE);
    end = Math.min(text.length, start + FRAGMENT_CHARS);
  }
  let out = start > 0 ? '…' : '';
  let at = start;
  for (const [s, e] of hits) {
    if (s < at || e > end) continue;
    out += `${escapeHtml(text.slice(at, s))}<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  out += escapeHtml(text.slice(at, end));
  return end < text.length ? `${out}…` : out;
}

/** Highlights of a record's caption and property values (references to other records excepted). */
export function highlightsFor(
  caption: string,
  properties: Record<string, string[]>,
  query: QueryWords,
  fuzzy: boolean,
): Highlight[] {
  if (query.words.length === 0) return [];
  const out: Highlight[] = [];
  const captionMark = markText(caption, query, fuzzy);
  if (captionMark) out.push({ field: 'caption', fragment: captionMark });
  for (const [name, values] of Object.entries(properties)) {
    for (const value of values) {
      if (UUID.test(value)) continue;
      const fragment = markText(value, query, fuzzy);
      if (fragment) out.push({ field: `properties.${name}`, fragment });
    }
  }
  return out;
}
