import { describe, expect, it } from 'vitest';
import { streamJson } from './json-stream.js';

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(text: string, paths: string[], size = 7) {
  const out = [];
  for await (const item of streamJson(chunks(text, size), paths)) out.push(item);
  return out;
}

describe('streamJson', () => {
  it('yields the elements of the streamed arrays and the rest without them', async () => {
    const doc = {
      type: 'bundle',
      objects: [{ a: 1, b: [1, 2, { c: 'x' }] }, 'str', 3, null, [4]],
      other: [1, 2],
      nested: { objects: [9] },
    };
    const items = await collect(JSON.stringify(doc), ['objects']);
    expect(items).toEqual([
      { kind: 'element', path: 'objects', value: { a: 1, b: [1, 2, { c: 'x' }] } },
      { kind: 'element', path: 'objects', value: 'str' },
      { kind: 'element', path: 'objects', value: 3 },
      { kind: 'element', path: 'objects', value: null },
      { kind: 'element', path: 'objects', value: [4] },
      { kind: 'arrayEnd', path: 'objects' },
      { kind: 'rest', value: { type: 'bundle', other: [1, 2], nested: { objects: [9] } } },
    ]);
  });

  it('streams nested paths and keeps a non-array value at a streamed path in the rest', async () => {
    const items = await collect(
      JSON.stringify({ Event: { info: 'i', Attribute: [{ v: 1 }], Tag: [{ name: 't' }] }, Attribute: 'x' }),
      ['Event.Attribute', 'Event.Tag', 'Attribute'],
      3,
    );
    expect(items).toEqual([
      { kind: 'element', path: 'Event.Attribute', value: { v: 1 } },
      { kind: 'arrayEnd', path: 'Event.Attribute' },
      { kind: 'element', path: 'Event.Tag', value: { name: 't' } },
      { kind: 'arrayEnd', path: 'Event.Tag' },
      { kind: 'rest', value: { Event: { info: 'i' }, Attribute: 'x' } },
    ]);
  });

  it('throws on malformed JSON after yielding most of what came before', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i })).join(',');
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const item of streamJson(chunks(`{"objects":[${body},{"b":`, 64), ['objects'])) {
        seen.push(item);
      }
    }).rejects.toThrow();
    // Tokens buffered inside the stream when it fails are lost; everything earlier was yielded.
    expect(seen.length).toBeGreaterThan(4000);
  });
});
