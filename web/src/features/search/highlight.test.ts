import { describe, expect, it } from 'vitest';
import { parseHighlight, unescapeHtml } from './highlight.js';

describe('parseHighlight', () => {
  it('splits marked and plain text', () => {
    expect(parseHighlight('Ivan <mark>Petrov</mark> of Odesa')).toEqual([
      { text: 'Ivan ', mark: false },
      { text: 'Petrov', mark: true },
      { text: ' of Odesa', mark: false },
    ]);
  });

  it('unescapes entities inside and outside marks, and never reads other tags as markup', () => {
    expect(parseHighlight('&lt;script&gt;x&lt;/script&gt; <mark>A&amp;B</mark> &#39;q&#x27;')).toEqual([
      { text: '<script>x</script> ', mark: false },
      { text: 'A&B', mark: true },
      { text: " 'q'", mark: false },
    ]);
    // A raw tag that is not <mark> (should the server ever fail to escape) stays visible text.
    expect(parseHighlight('<b>bold</b>')).toEqual([{ text: '<b>bold</b>', mark: false }]);
  });

  it('handles an unclosed mark and empty pieces', () => {
    expect(parseHighlight('<mark>a</mark><mark>b')).toEqual([{ text: 'ab', mark: true }]);
    expect(parseHighlight('')).toEqual([]);
  });

  it('keeps unknown entities as written', () => {
    expect(unescapeHtml('&nosuch; &#99999999;')).toBe('&nosuch; &#99999999;');
  });
});
