import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * Iterates `source` while pulling up to `limit` items ahead of the consumer. While the consumer
 * waits on I/O (an import waiting for PostgreSQL to write a batch), the source keeps producing
 * (parsing and validating the next batch), so the two run on different cores. Every `slice` items
 * the producer yields to the event loop, so the consumer's I/O callbacks are not held up behind a
 * long run of microtasks (a source that never waits, like a parser over an in-memory buffer, would
 * otherwise hold them until the buffer is full).
 *
 * Order is kept; an error from the source is thrown to the consumer after the items before it;
 * stopping early (break, throw) closes the source. Node's stream utilities (`Readable.from` with a
 * highWaterMark) buffer too, but do not yield to the event loop between items, which is the point
 * here, hence this small function.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, limit: number, slice = 64): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let buffer: T[] = [];
  let head = 0;
  let done = false;
  let failure: { error: unknown } | undefined;
  let pumping = false;
  let waiting: (() => void) | undefined;
  const wake = () => {
    const w = waiting;
    waiting = undefined;
    w?.();
  };
  const pump = async () => {
    pumping = true;
    try {
      let n = 0;
      while (buffer.length - head < limit) {
        const r = await it.next();
        if (r.done) {
          done = true;
          break;
        }
        buffer.push(r.value);
        wake();
        n += 1;
        if (n % slice === 0) await yieldToEventLoop();
      }
    } catch (error) {
      failure = { error };
    } finally {
      pumping = false;
      wake();
    }
  };
  try {
    for (;;) {
      if (head < buffer.length) {
        const value = buffer[head] as T;
        head += 1;
        if (head >= 1024 && head * 2 >= buffer.length) {
          buffer = buffer.slice(head);
          head = 0;
        }
        if (!pumping && !done && !failure) void pump();
        yield value;
        continue;
      }
      if (failure) throw failure.error;
      if (done) return;
      if (!pumping) void pump();
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
    }
  } finally {
    if (!done && !failure) {
      // Wait for a pull in progress before closing the source (a generator runs one step at a time).
      while (pumping)
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
      await it.return?.();
    }
  }
}
