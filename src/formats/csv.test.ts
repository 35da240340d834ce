import { describe, expect, it } from 'vitest';
import { csvColumns, exportMapping, parseCsv, toCsv } from './csv.js';
import { sampleRecords } from './records.fixture.js';
import type { ParseEvent } from './types.js';

async function parse(text: string, mapping: Parameters<typeof parseCsv>[1]): Promise<ParseEvent[]> {
  const out: ParseEvent[] = [];
  for await (const e of parseCsv(text.match(/[\s\S]{1,7}/g) ?? [], mapping)) out.push(e);
  return out;
}
const mapping = {
  schema: 'Person',
  idColumn: 'rec_id',
  columns: { given: 'firstName', surname: 'name', dob: 'birthDate' },
};

describe('parseCsv', () => {
  it('maps rows, splits ; values, drops empty cells and rejects bad rows with their line', async () => {
    const text =
      'rec_id,given,surname,dob,ignored\nr1,Ana;Maria,Pérez,1980-02-03,x\n\nr2,"Bo, Jr",Li,,y\n,X,Y,,z\nr4,A,B\nr5,A,B,not-a-date,q\nr6,"multi\nline",C,,w\n';
    expect(await parse(text, mapping)).toEqual([
      {
        type: 'entity',
        index: 2,
        entity: {
          externalId: 'r1',
          schema: 'Person',
          properties: { firstName: ['Ana', 'Maria'], name: ['Pérez'], birthDate: ['1980-02-03'] },
        },
      },
      {
        type: 'entity',
        index: 4,
        entity: { externalId: 'r2', schema: 'Person', properties: { firstName: ['Bo, Jr'], name: ['Li'] } },
      },
      { type: 'rejected', index: 5, reason: 'rec_id: required (empty id)' },
      { type: 'rejected', index: 6, reason: 'has 3 fields, the header has 5' },
      { type: 'rejected', index: 7, reason: expect.stringContaining('properties.birthDate.0: ftm_date') },
      {
        type: 'entity',
        index: 8,
        entity: {
          externalId: 'r6',
          schema: 'Person',
          properties: { firstName: ['multi\nline'], name: ['C'] },
        },
      },
    ]);
  });

  it('rejects a header without the mapped columns, and malformed quoting', async () => {
    expect(await parse('a,b\n1,2\n', mapping)).toEqual([
      { type: 'rejected', index: 1, reason: 'header lacks mapped columns: rec_id, given, surname, dob' },
    ]);
    const events = await parse('rec_id,given,surname,dob\nr1,A,B,\nr2,"A"x,B,\n', mapping);
    // Rows csv-parse had buffered when it failed are lost; the failure itself is always reported.
    expect(events.at(-1)).toMatchObject({
      type: 'rejected',
      reason: expect.stringMatching(/^malformed CSV/),
    });
  });

  it('reads the header for the mapping preview', async () => {
    expect(await csvColumns('rec_id, given_name,"sur,name"\nrec-1,"unterminated')).toEqual([
      'rec_id',
      'given_name',
      'sur,name',
    ]);
    expect(await csvColumns(new TextEncoder().encode('\uFEFFa,b'))).toEqual(['a', 'b']);
  });
});

describe('toCsv', () => {
  it('writes the fixed columns and prop: columns with RFC 4180 quoting, and round-trips per schema', async () => {
    const records = sampleRecords();
    const lines = [...toCsv(records)];
    expect(lines[0]?.startsWith('id,schema,caption,owner,tlp,codes,crime_areas,prop:')).toBe(true);
    expect(lines[1]).toContain('"Ana ""Ana"" Pérez, Jr."');
    expect(lines[1]).toContain('"line one\nline two; with semicolon"');
    expect(lines[1]).toContain(',TLP:CLEAR,H1; H2,drug_trafficking; money_laundering,');
    for (const schema of ['Company', 'BankAccount', 'Address', 'UserAccount']) {
      const subset = records.filter((r) => r.schema === schema);
      const back = await parse([...toCsv(subset)].join(''), exportMapping(schema, subset));
      expect(back.map((e) => (e.type === 'entity' ? [e.entity.externalId, e.entity.properties] : e))).toEqual(
        subset.map((r) => [r.id, r.properties]),
      );
    }
  });
});
