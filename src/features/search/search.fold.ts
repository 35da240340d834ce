/**
 * Search folding in TypeScript: the twin of the SQL function `entente_fold` created by migration
 * 0005 (same tables, same steps; a test checks they agree). SQL folds what is indexed and what is
 * searched; this folds text for highlights, so a match found in the database is marked here too.
 */

// Characters folded to one Latin letter (or to nothing: hard and soft signs, ayn, hamza).
const SINGLE: Record<string, string> = {
  // Cyrillic
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  з: 'z',
  и: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  ы: 'y',
  э: 'e',
  і: 'i',
  є: 'e',
  ґ: 'g',
  ъ: '',
  ь: '',
  // Greek
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  ω: 'o',
  // Arabic (consonantal script: vowels are not written, the skeleton makes up for it)
  ا: 'a',
  ب: 'b',
  ت: 't',
  ج: 'j',
  ح: 'h',
  د: 'd',
  ر: 'r',
  ز: 'z',
  س: 's',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  ع: '',
  ف: 'f',
  ق: 'q',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  و: 'w',
  ي: 'y',
  ى: 'a',
  ة: 'h',
  ء: '',
  ی: 'y',
  ک: 'k',
  پ: 'p',
  چ: 'ch',
  گ: 'g',
  ژ: 'zh',
  // Latin letters without a decomposition
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  ı: 'i',
  ħ: 'h',
};
// Characters folded to several Latin letters.
const MULTI: Record<string, string> = {
  ж: 'zh',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ю: 'yu',
  я: 'ya',
  θ: 'th',
  χ: 'ch',
  ψ: 'ps',
  ث: 'th',
  خ: 'kh',
  ذ: 'dh',
  ش: 'sh',
  غ: 'gh',
  þ: 'th',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
};

const TABLE = new Map<string, string>();
for (const [k, v] of [...Object.entries(SINGLE), ...Object.entries(MULTI)]) TABLE.set(k, v);

const MARKS = /[\u0300-\u036f\u064b-\u065f\u0670]/g;

/**
 * Folds text for search: compatibility decomposition, combining marks removed, lower case, and
 * Cyrillic, Greek and Arabic transliterated to Latin. Same result as SQL `entente_fold`.
 */
export function foldForSearch(text: string): string {
  const base = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  let out = '';
  for (const ch of base) out += TABLE.get(ch) ?? ch;
  return out;
}

/** The consonant skeleton of folded text, as SQL `entente_skeleton` computes it for ASCII words. */
export function skeletonOf(folded: string): string {
  return folded.replace(/\B[aeiouy]/g, '').replace(/(.)\1+/g, '$1');
}
