import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead.js';

async function* numbers(n: number, failAt?: number, log?: string[]): AsyncGenerator<number> {
  try {
    for (let i = 0; i < n; i++) {
      if (i === failAt) throw new Error(`source failed at ${i}`);
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 0));
      log?.push(`produced ${i}`);
      yield i;
    }
  } finally {
    log?.push('closed');
  }
}

async function collect<T>(it: AsyncIterable<T>, slow = false): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) {
    out.push(v);
    if (slow && out.length % 10 === 0) await new Promise((r) => setTimeout(r, 1));
  }
  return out;
}

describe('readAhead', () => {
  it('keeps every item in order, whatever the limit and the consumer speed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        async (n, limit, slow) => {
          const got = await collect(readAhead(numbers(n), limit, 5), slow);
          expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads ahead while the consumer waits, but never more than the limit', async () => {
    const log: string[] = [];
    const it = readAhead(numbers(100, undefined, log), 10)[Symbol.asyncIterator]();
    await it.next();
    await new Promise((r) => setTimeout(r, 20));
    const produced = log.filter((l) => l.startsWith('produced')).length;
    // The first item plus a full buffer of ten.
    expect(produced).toBe(11);
    await it.return(undefined);
    expect(log.at(-1)).toBe('closed');
  });

  it('delivers the items before a failure, then the failure', async () => {
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const v of readAhead(numbers(50, 30), 8)) got.push(v);
      })(),
    ).rejects.toThrow('source failed at 30');
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('closes the source when the consumer stops early', async () => {
    const log: string[] = [];
    for await (const v of readAhead(numbers(1000, undefined, log), 16)) {
      if (v === 3) break;
    }
    expect(log.at(-1)).toBe('closed');
    expect(log.filter((l) => l.startsWith('produced')).length).toBeLessThan(30);
  });
});
