import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

import { workerRuntime } from '../../../test/support/context.js';
import { foldForSearch, skeletonOf } from './search.fold.js';
import { markText, queryWords } from './search.highlight.js';

const SAMPLES = [
  'Müller Straße Łódź Øresund',
  'ИВАНОВ Иванов Щукин Жуков ёлка',
  'Ωμέγα Θεσσαλονίκη Ψυχή',
  'محمد خالد الشيخ',
  'Ǆemal ﬁnance ＡＢＣ',
  'İstanbul Ğ ş',
];

describe('search folding', () => {
  it('transliterates and strips accents', () => {
    expect(foldForSearch('Иванов')).toBe('ivanov');
    expect(foldForSearch('Müller Straße')).toBe('muller strasse');
    expect(foldForSearch('محمد')).toBe('mhmd');
    expect(skeletonOf(foldForSearch('Mohammed'))).toBe(skeletonOf(foldForSearch('Muhammad')));
  });

  it('agrees with the SQL function the index uses', async () => {
    const { ctx } = await workerRuntime();
    const alphabet = fc.constantFrom(...[...SAMPLES.join('')], 'A', 'z', ' ', '-', '1');
    const texts = [
      ...SAMPLES,
      ...fc.sample(
        fc.array(alphabet, { maxLength: 20 }).map((cs) => cs.join('')),
        50,
      ),
    ];
    for (const text of texts) {
      const row = await sql<{ f: string }>`SELECT entente_fold(${text}::text) AS f`.execute(ctx.db);
      expect(row.rows[0]?.f, text).toBe(foldForSearch(text));
    }
  });

  it('marks whole matching words and escapes the rest', () => {
    const q = queryWords('ivanov -petrov OR "x"');
    expect(q.words).toEqual(['ivanov', 'x']);
    expect(markText('<b>Иванов</b> & Petrov', q, false)).toBe(
      '&lt;b&gt;<mark>Иванов</mark>&lt;/b&gt; &amp; Petrov',
    );
    expect(markText('nothing here', q, false)).toBeNull();
    const long = `${'a '.repeat(200)}Ivanov${' b'.repeat(200)}`;
    const cut = markText(long, q, false) ?? '';
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).toContain('<mark>Ivanov</mark>');
  });
});
