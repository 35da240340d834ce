import { describe, expect, it } from 'vitest';
import { asciiJson, csvPreview, detectFormat, parseCsvHead } from './import-format.js';

describe('detectFormat', () => {
  it('reads the extension, and a .json file’s first bytes', () => {
    expect(detectFormat('people.jsonl', '')).toBe('ftm');
    expect(detectFormat('Export.FTM.JSON', '{"id":"x"}')).toBe('ftm');
    expect(detectFormat('feed.json', '{ "type" : "bundle", "objects": [] }')).toBe('stix');
    expect(detectFormat('event.json', '{"Event":{"uuid":"x"}}')).toBe('misp');
    expect(detectFormat('rows.csv', 'a,b')).toBe('csv');
    expect(detectFormat('notes.txt', '')).toBeNull();
  });
});

describe('parseCsvHead', () => {
  it('handles quotes, doubled quotes, CRLF and semicolons', () => {
    expect(parseCsvHead('a,b\r\n"x, y","say ""hi"""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
    expect(parseCsvHead('a;b;c\n1;2;3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('drops a last line cut by the preview limit and stops at maxRows', () => {
    expect(parseCsvHead('a,b\n1,2\n3,', 10, true)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsvHead('a\n1\n2\n3\n', 2)).toEqual([['a'], ['1']]);
  });

  it('splits the header from the rows and skips blank lines', () => {
    expect(csvPreview('\uFEFFid, name \n\n1,Ann\n')).toEqual({
      columns: ['id', 'name'],
      rows: [['1', 'Ann']],
    });
  });
});

describe('asciiJson', () => {
  it('escapes non-ASCII so the JSON fits an HTTP header and parses back the same', () => {
    const value = { h3Text: 'لا تنشر — é' };
    const text = asciiJson(value);
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
  });
});
