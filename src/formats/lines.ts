import type { ParserInput } from './types.js';

/**
 * Splits a chunked text stream into lines without holding more than one line (plus one chunk) in
 * memory, so a million-line file parses in flat memory. Bytes are decoded as UTF-8 with a streaming
 * decoder (a multi-byte character may straddle two chunks). Yields every line with its 1-based
 * number, without the line break (`\n` or `\r\n`); a final line without a break is yielded too.
 */
export async function* splitLines(input: ParserInput): AsyncGenerator<{ line: string; number: number }> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let number = 0;
  let first = true;
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      // A byte-order mark would otherwise become part of the first field or JSON value.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    carry += text;
    let start = 0;
    let nl = carry.indexOf('\n', start);
    while (nl !== -1) {
      const end = nl > start && carry.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      number += 1;
      yield { line: carry.slice(start, end), number };
      start = nl + 1;
      nl = carry.indexOf('\n', start);
    }
    carry = carry.slice(start);
  }
  carry += decoder.decode();
  if (carry.length > 0) {
    number += 1;
    yield { line: carry.endsWith('\r') ? carry.slice(0, -1) : carry, number };
  }
}
