import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

import { workerRuntime } from '../../../test/support/context.js';
import type { FtmProperties } from '../../platform/db/schema.js';
import { searchColumnsFor } from './records.search-columns.js';

const WORDS = [
  'Иванов',
  'Müller',
  'محمد الشيخ',
  'Θεσσαλονίκη',
  'ÅSA ﬁnance',
  'Ωmega-Trading',
  'o’Neil',
  'İstanbul',
];

describe('search columns written by the application', () => {
  // Rows written before migration 0007 hold what the SQL functions of 0005 computed; rows written
  // after it hold what searchColumnsFor computes. Both must be searched alike.
  it('equal what the generated columns of migration 0005 computed', async () => {
    const { ctx } = await workerRuntime();
    const word = fc.constantFrom(...WORDS, 'Ana', 'Rossi', '12');
    const values = fc.array(
      fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
      { maxLength: 2 },
    );
    const entity = fc.record({
      schema: fc.constantFrom('Person', 'Company', 'Vessel'),
      name: values,
      alias: values,
      country: fc.array(fc.constantFrom('ES', 'ru', 'gr', 'eg'), { maxLength: 3 }),
      notes: values,
    });
    for (const e of fc.sample(entity, 60)) {
      const properties: FtmProperties = { name: e.name.length > 0 ? e.name : ['Unnamed'] };
      if (e.alias.length > 0) properties.alias = e.alias;
      if (e.notes.length > 0) properties.notes = e.notes;
      if (e.country.length > 0) properties[e.schema === 'Person' ? 'nationality' : 'country'] = e.country;
      const mine = searchColumnsFor(e.schema, properties);
      const { rows } = await sql<{
        tsv_app: string;
        tsv_sql: string;
        names_sql: string;
        skeleton_app: string;
        skeleton_sql: string;
        countries_sql: string[];
      }>`SELECT ${mine.search_tsv}::text AS tsv_app,
          to_tsvector('simple'::regconfig, entente_fold(${mine.search_text}::text))::text AS tsv_sql,
          entente_fold(entente_record_names(${mine.caption}::text, ${JSON.stringify(properties)}::jsonb)) AS names_sql,
          ${mine.search_skeleton}::text AS skeleton_app,
          to_tsvector('simple'::regconfig, entente_skeleton(entente_fold(entente_record_names(${mine.caption}::text, ${JSON.stringify(properties)}::jsonb))))::text AS skeleton_sql,
          entente_record_countries(${JSON.stringify(properties)}::jsonb) AS countries_sql`.execute(ctx.db);
      const row = rows[0];
      expect(row?.tsv_app, JSON.stringify(properties)).toBe(row?.tsv_sql);
      expect(mine.search_names).toBe(row?.names_sql);
      expect(row?.skeleton_app, JSON.stringify(properties)).toBe(row?.skeleton_sql);
      expect(mine.countries).toEqual(row?.countries_sql);
    }
  });
});
