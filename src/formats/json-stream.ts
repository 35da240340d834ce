import { Readable } from 'node:stream';
import { Assembler } from 'stream-json/assembler.js';
import { parser } from 'stream-json/parser.js';
import type { ParserInput } from './types.js';

/**
 * What {@link streamJson} yields: each element of a streamed array as soon as it is complete, the
 * end of each streamed array, and finally the rest of the document with the streamed arrays left
 * out (small: a bundle's `type` and `id`, an event's `info` and tags).
 */
export type JsonStreamItem =
  | { kind: 'element'; path: string; value: unknown }
  | { kind: 'arrayEnd'; path: string }
  | { kind: 'rest'; value: unknown };

interface Frame {
  isObject: boolean;
  key: string | null;
}

/**
 * Streams a JSON document, yielding the elements of the arrays at `paths` (dot-joined object keys
 * from the root, e.g. `objects` or `Event.Attribute`) one by one, so a bundle of a million objects
 * is never held in memory whole. Throws on malformed JSON (after yielding what came before).
 */
// stream-json over a hand-written tokenizer: JSON string escapes, numbers and chunk boundaries are
// easy to get subtly wrong, and it is a small, well-kept library built for exactly this.
export async function* streamJson(
  input: ParserInput,
  paths: readonly string[],
): AsyncGenerator<JsonStreamItem> {
  const wanted = new Set(paths);
  const tokens = Readable.from(input, { objectMode: true }).pipe(parser.asStream({ streamValues: false }));
  const rest = new Assembler();
  const stack: Frame[] = [];
  let pendingKey: { name: 'keyValue'; value: string } | null = null;
  let streaming: { path: string; depth: number; element: Assembler | null } | null = null;

  // The dot-joined keys leading to the current value, or null inside an array (never streamed).
  const currentPath = (): string | null =>
    stack.every((f) => f.isObject) ? stack.map((f) => f.key ?? '').join('.') : null;

  for await (const token of tokens as AsyncIterable<Parameters<Assembler['consume']>[0]>) {
    if (streaming) {
      if (streaming.element === null && token.name === 'endArray') {
        yield { kind: 'arrayEnd', path: streaming.path };
        streaming = null;
        continue;
      }
      if (streaming.element === null) streaming.element = new Assembler();
      streaming.element.consume(token);
      if (token.name === 'startObject' || token.name === 'startArray') streaming.depth += 1;
      if (token.name === 'endObject' || token.name === 'endArray') streaming.depth -= 1;
      if (streaming.depth === 0) {
        yield { kind: 'element', path: streaming.path, value: streaming.element.current };
        streaming.element = null;
      }
      continue;
    }
    if (pendingKey) {
      const key = pendingKey;
      pendingKey = null;
      if (token.name === 'startArray') {
        streaming = { path: currentPath() ?? '', depth: 0, element: null };
        continue;
      }
      // Not an array after all: the value belongs to the rest of the document.
      rest.consume(key);
    }
    if (token.name === 'keyValue') {
      const top = stack[stack.length - 1];
      if (top) top.key = token.value;
      const path = currentPath();
      if (path !== null && wanted.has(path)) {
        pendingKey = token;
        continue;
      }
    }
    if (token.name === 'startObject') stack.push({ isObject: true, key: null });
    if (token.name === 'startArray') stack.push({ isObject: false, key: null });
    if (token.name === 'endObject' || token.name === 'endArray') stack.pop();
    rest.consume(token);
  }
  yield { kind: 'rest', value: rest.current };
}
