import { describe, expect, it } from 'vitest';
import { parseFtm, toFtmLines } from './ftm.js';
import { splitLines } from './lines.js';
import { sampleRecords } from './records.fixture.js';
import type { ParseEvent } from './types.js';

async function collect(input: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>) {
  const out: ParseEvent[] = [];
  for await (const e of parseFtm(input)) out.push(e);
  return out;
}

describe('splitLines', () => {
  it('splits across chunk boundaries, CRLF and multi-byte characters', async () => {
    const bytes = new TextEncoder().encode('\uFEFFa,é\r\n\nlast€');
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    const lines = [];
    for await (const l of splitLines(chunks)) lines.push(l);
    expect(lines).toEqual([
      { line: 'a,é', number: 1 },
      { line: '', number: 2 },
      { line: 'last€', number: 3 },
    ]);
  });
});

describe('parseFtm', () => {
  it('maps valid lines, skips blank ones and rejects bad lines with their line number and rule', async () => {
    const lines = [
      JSON.stringify({ id: 'p1', schema: 'Person', properties: { name: ['Ana'], nationality: ['ES'] } }),
      '',
      '{not json',
      JSON.stringify({ schema: 'Person', properties: { name: ['x'] } }),
      JSON.stringify({ id: 'x', properties: {} }),
      JSON.stringify({ id: 'x', schema: 'Mystery', properties: {} }),
      JSON.stringify({ id: 'x', schema: 'Person', properties: { birthDate: ['yesterday'], name: ['B'] } }),
      JSON.stringify({ id: 'x', schema: 'Person', properties: { colour: ['red'] } }),
      JSON.stringify({ id: 'o1', schema: 'Ownership', properties: { owner: ['p1'], asset: ['c1'] } }),
      JSON.stringify({ id: 'x', schema: 'Person', properties: { name: 'not a list' } }),
      '   ',
      '[1]',
    ];
    const events = await collect([lines.join('\n')]);
    expect(events).toEqual([
      {
        type: 'entity',
        index: 1,
        entity: { externalId: 'p1', schema: 'Person', properties: { name: ['Ana'], nationality: ['es'] } },
      },
      { type: 'rejected', index: 3, reason: expect.stringMatching(/^invalid JSON/) },
      { type: 'rejected', index: 4, reason: 'id: required (missing or not a string)' },
      { type: 'rejected', index: 5, reason: 'schema: required (missing or not a string)' },
      { type: 'rejected', index: 6, reason: 'schema "Mystery" is not allowed (schema: enum)' },
      { type: 'rejected', index: 7, reason: expect.stringContaining('properties.birthDate.0: ftm_date') },
      {
        type: 'rejected',
        index: 8,
        reason: expect.stringMatching(/properties\.colour: ftm_property.*properties\.name: required/),
      },
      // Entity references hold source ids for the importer to resolve, so they are not UUID-checked.
      {
        type: 'entity',
        index: 9,
        entity: { externalId: 'o1', schema: 'Ownership', properties: { owner: ['p1'], asset: ['c1'] } },
      },
      { type: 'rejected', index: 10, reason: 'properties.name: type (must be a list of strings)' },
      { type: 'rejected', index: 12, reason: 'a line must hold a JSON object' },
    ]);
  });

  it('round-trips toFtmLines with the same ids, schemata and properties', async () => {
    const records = sampleRecords();
    const events = await collect(toFtmLines(records));
    expect(events.every((e) => e.type === 'entity')).toBe(true);
    expect(
      events.map((e) =>
        e.type === 'entity' ? [e.entity.externalId, e.entity.schema, e.entity.properties] : null,
      ),
    ).toEqual(records.map((r) => [r.id, r.schema, r.properties]));
    expect([...toFtmLines(records.slice(0, 1))][0]).toBe(
      `${JSON.stringify({ id: records[0]?.id, schema: 'Person', properties: records[0]?.properties })}\n`,
    );
  });

  // 40,000 rather than 200,000 lines: validateProperties in records.model costs ~0.1 ms per entity
  // (FtM schema lookups are not cached there), so 200,000 lines take ~25 s; the memory bound is the same.
  it('streams 200,000 lines in flat memory', async () => {
    const total = 200_000;
    async function* generate(): AsyncGenerator<string> {
      let batch = '';
      for (let i = 0; i < total; i += 1) {
        batch += `${JSON.stringify({ id: `e${i}`, schema: 'Person', properties: { name: [`Person number ${i}`], birthDate: ['1980-01-01'] } })}\n`;
        // Chunks cut mid-line, as network reads do.
        if (batch.length > 60_000) {
          yield batch.slice(0, 30_001);
          batch = batch.slice(30_001);
        }
      }
      yield batch;
    }
    const before = process.memoryUsage().heapUsed;
    let maxHeap = before;
    let entities = 0;
    for await (const e of parseFtm(generate())) {
      if (e.type === 'entity') entities += 1;
      if (entities % 2_000 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
    }
    expect(entities).toBe(total);
    expect(maxHeap - before).toBeLessThan(50 * 1024 * 1024);
    // All lines together are ~4 MB of text per 40,000 lines; a parser that buffered would hold them.
  }, 30_000);
});
