import type { Kysely } from 'kysely';
import { execScript } from '../script.js';

/*
 * Record search (features/search). Everything search needs is derived from columns every writer
 * already fills (`caption`, `properties`, `search_text`), as STORED generated columns: records
 * written by the service, the importer, tests' factories or a bulk load are indexed the same way,
 * with no writer having to remember a helper.
 *
 * Folding (`entente_fold`): compatibility decomposition, combining marks (Latin accents, Arabic
 * harakat) removed, lower case, and Cyrillic, Greek and Arabic transliterated to Latin, so
 * "Иванов" and "ivanov", "Müller" and "muller" meet. The table below is frozen with this migration;
 * `foldForSearch` in src/features/search/search.fold.ts is its TypeScript twin (used for
 * highlights) and a test checks that both agree. Change the folding only with a new migration.
 *
 * Skeleton (`entente_skeleton`): folded words without their inner vowels and with doubled letters
 * collapsed ("mohammed", "muhammad" and "محمد" all give "mhmd"), kept as a tsvector of the names so
 * transliteration variants and vowel typos match word for word. (Trigram similarity on skeletons
 * was tried and dropped: short skeletons are alike, and at 1,000,000 records it fetched thousands
 * of rows per query.) Consonant typos are left to trigram similarity on the folded names.
 *
 * Countries and crime areas get no index of their own: each value covers a sixth to a twentieth of
 * the records, and a GIN index on them led the planner into BitmapAnd plans that read 170,000 index
 * entries to save a filter on a few hundred rows (bench/RESULTS.md, "Search").
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

/** Every mapping, with upper-case keys added: lower() only folds ASCII under the C locale. */
function foldTable(): [string, string][] {
  const out = new Map<string, string>();
  for (const [k, v] of [...Object.entries(SINGLE), ...Object.entries(MULTI)]) {
    out.set(k, v);
    const upper = k.toUpperCase();
    if (upper !== k && [...upper].length === 1 && !out.has(upper)) out.set(upper, v);
  }
  return [...out];
}

function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function foldFunctionBody(): string {
  // NFKD then dropping combining marks strips accents; U+064B–U+065F and U+0670 are Arabic marks.
  let expr = `lower(regexp_replace(normalize(t, NFKD), '[\\u0300-\\u036f\\u064b-\\u065f\\u0670]', '', 'g'))`;
  for (const [from, to] of foldTable()) expr = `replace(${expr}, ${literal(from)}, ${literal(to)})`;
  return `SELECT ${expr}`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await execScript(
    db,
    `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE OR REPLACE FUNCTION entente_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$ ${foldFunctionBody()} $fold$;
    CREATE OR REPLACE FUNCTION entente_skeleton(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $sk$ SELECT regexp_replace(regexp_replace(t, '\\Y[aeiouy]', '', 'g'), '(.)\\1+', '\\1', 'g') $sk$;
    CREATE OR REPLACE FUNCTION entente_record_names(caption text, p jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $nm$ SELECT concat_ws(' ', caption, (SELECT string_agg(v, ' ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(p) = 'object' THEN coalesce(p->'name', '[]'::jsonb) || coalesce(p->'alias', '[]'::jsonb) || coalesce(p->'previousName', '[]'::jsonb) || coalesce(p->'weakAlias', '[]'::jsonb) ELSE '[]'::jsonb END) AS v)) $nm$;
    CREATE OR REPLACE FUNCTION entente_record_countries(p jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $co$ SELECT coalesce(array_agg(DISTINCT lower(v) ORDER BY lower(v)), '{}'::text[]) FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(p) = 'object' THEN coalesce(p->'country', '[]'::jsonb) || coalesce(p->'nationality', '[]'::jsonb) || coalesce(p->'jurisdiction', '[]'::jsonb) ELSE '[]'::jsonb END) AS v $co$;
    ALTER TABLE records
      ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, entente_fold(search_text))) STORED,
      ADD COLUMN search_names text GENERATED ALWAYS AS (entente_fold(entente_record_names(caption, properties))) STORED,
      ADD COLUMN search_skeleton tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, entente_skeleton(entente_fold(entente_record_names(caption, properties))))) STORED,
      ADD COLUMN countries text[] GENERATED ALWAYS AS (entente_record_countries(properties)) STORED;
    CREATE INDEX records_search_tsv ON records USING gin (search_tsv);
    CREATE INDEX records_search_names_trgm ON records USING gin (search_names gin_trgm_ops);
    CREATE INDEX records_search_skeleton ON records USING gin (search_skeleton);
    CREATE INDEX records_updated_id ON records(updated_at, id);
    CREATE INDEX records_caption_id ON records(caption, id);
    CREATE INDEX records_schema_updated ON records(schema, updated_at);
  `,
  );
}
