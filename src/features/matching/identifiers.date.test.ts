import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datePrefixes, normalizeDate, parsePartialDate } from './identifiers.date.js';

describe('parsePartialDate', () => {
  it.each([
    ['1975', { year: 1975, iso: '1975' }],
    ['1975-03', { year: 1975, month: 3, iso: '1975-03' }],
    ['1975-03-12', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['1975-03-12T10:30:00Z', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['1975-03-12 10:30', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['1975-3-7', { year: 1975, month: 3, day: 7, iso: '1975-03-07' }],
    ['1975.03.12', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['1975/03/12', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['1975/03', { year: 1975, month: 3, iso: '1975-03' }],
    ['12/03/1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['12.03.1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['12-03-1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['2/3/1975', { year: 1975, month: 3, day: 2, iso: '1975-03-02' }],
    ['03/1975', { year: 1975, month: 3, iso: '1975-03' }],
    ['03/25/1975', { year: 1975, month: 3, day: 25, iso: '1975-03-25' }],
    ['March 1975', { year: 1975, month: 3, iso: '1975-03' }],
    ['Mar 1975', { year: 1975, month: 3, iso: '1975-03' }],
    ['Mar. 1975', { year: 1975, month: 3, iso: '1975-03' }],
    ['12 March 1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['12th March 1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['March 12, 1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['12-MAR-1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['1975 March 12', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['Sept 1975', { year: 1975, month: 9, iso: '1975-09' }],
    ['12 mars 1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['1er février 1975', { year: 1975, month: 2, day: 1, iso: '1975-02-01' }],
    ['12 de marzo de 1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['12. März 1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['12 maart 1975', { year: 1975, month: 3, day: 12, iso: '1975-03-12' }],
    ['dicembre 1975', { year: 1975, month: 12, iso: '1975-12' }],
    ['circa 1965', { year: 1965, iso: '1965' }],
    ['ca. 1965', { year: 1965, iso: '1965' }],
    ['  1975  ', { year: 1975, iso: '1975' }],
    ['2000-02-29', { year: 2000, month: 2, day: 29, iso: '2000-02-29' }],
    ['1800', { year: 1800, iso: '1800' }],
    ['2100-12-31', { year: 2100, month: 12, day: 31, iso: '2100-12-31' }],
  ])('%s', (raw, expected) => {
    expect(parsePartialDate(raw)).toEqual(expected);
  });

  it.each([
    ['2023-02-30', 'February 30th'],
    ['2023-02-29', 'not a leap year'],
    ['1900-02-29', 'not a leap year (century)'],
    ['1975-13', 'month 13'],
    ['1975-00-10', 'month 0'],
    ['1975-04-31', 'April 31st'],
    ['31/04/1975', 'April 31st, day first'],
    ['13/13/1975', 'neither reading possible'],
    ['1799', 'before 1800'],
    ['2101', 'after 2100'],
    ['12/03/75', 'a two-digit year'],
    ['75', 'a two-digit year alone'],
    ['Smarch 1975', 'an unknown month'],
    ['March', 'no year'],
    ['12 March', 'no year'],
    ['1960 to 1962', 'a range'],
    ['1975-03-12-01', 'too many parts'],
    ['', 'empty'],
    ['unknown', 'text'],
    ['0', 'a digit'],
  ])('%s → null: %s', (raw) => {
    expect(parsePartialDate(raw)).toBeNull();
  });

  const fullDate = fc
    .date({
      min: new Date('1800-01-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => ({
      y: d.getUTCFullYear(),
      m: d.getUTCMonth() + 1,
      d: d.getUTCDate(),
      iso: d.toISOString().slice(0, 10),
    }));
  const english = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' });

  it('reads every written form of a real date as that date', () => {
    fc.assert(
      fc.property(fullDate, ({ y, m, d, iso }) => {
        const dd = String(d).padStart(2, '0');
        const mm = String(m).padStart(2, '0');
        const month = english.format(new Date(Date.UTC(2000, m - 1, 15)));
        for (const written of [
          iso,
          `${dd}/${mm}/${y}`,
          `${d}.${m}.${y}`,
          `${y}.${mm}.${dd}`,
          `${d} ${month} ${y}`,
          `${month} ${d}, ${y}`,
          `${dd}-${month.slice(0, 3).toUpperCase()}-${y}`,
        ]) {
          expect(normalizeDate(written), written).toBe(iso);
        }
        expect(normalizeDate(`${month} ${y}`)).toBe(iso.slice(0, 7));
        expect(normalizeDate(iso.slice(0, 7))).toBe(iso.slice(0, 7));
        expect(normalizeDate(String(y))).toBe(String(y));
      }),
    );
  });

  it('rejects the day after the last of every month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1800, max: 2100 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const mm = String(m).padStart(2, '0');
        expect(normalizeDate(`${y}-${mm}-${last}`)).toBe(`${y}-${mm}-${last}`);
        expect(normalizeDate(`${y}-${mm}-${last + 1}`)).toBeNull();
        expect(normalizeDate(`${last + 1}/${mm}/${y}`)).toBeNull();
      }),
    );
  });

  it('never throws and is idempotent on any text', () => {
    const dateish = fc.string({
      unit: fc.constantFrom(...'0123456789-/. Marchmai'.split('')),
      maxLength: 16,
    });
    fc.assert(
      fc.property(fc.oneof(dateish, fc.string({ unit: 'binary', maxLength: 30 })), (raw) => {
        const once = normalizeDate(raw);
        if (once !== null) expect(normalizeDate(once)).toBe(once);
      }),
    );
  });
});

describe('datePrefixes', () => {
  it('lists the prefixes a partial date can be compared at', () => {
    expect(datePrefixes(parsePartialDate('1975-03-12')!)).toEqual(['1975', '1975-03', '1975-03-12']);
    expect(datePrefixes(parsePartialDate('March 1975')!)).toEqual(['1975', '1975-03']);
    expect(datePrefixes(parsePartialDate('1975')!)).toEqual(['1975']);
  });
});
