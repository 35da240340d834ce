import { describe, expect, it } from 'vitest';
import { matchInputOf, nameKindOf, partialDateOf } from './input.js';

describe('matchInputOf', () => {
  it('reads a person: every name, the name parts joined, date, countries as codes, identifiers, address', () => {
    const input = matchInputOf('Person', {
      name: ['Ahmad Dahir'],
      alias: ['Abu Ali'],
      previousName: ['Ahmed Daher'],
      weakAlias: ['the Doctor'],
      firstName: ['Ahmad'],
      lastName: ['Dahir'],
      birthDate: ['1972-06-20'],
      nationality: ['sy'],
      country: ['Lebanon'],
      passportNumber: ['N 0123456'],
      address: ['Rue 1, Beirut'],
    });
    expect(input.kind).toBe('person');
    expect(input.names).toEqual(['Ahmad Dahir', 'Abu Ali', 'Ahmed Daher', 'the Doctor', 'Ahmad Dahir']);
    expect(input.birthDates).toEqual([{ year: 1972, month: 6, day: 20 }]);
    expect(input.countries).toEqual(['SY', 'LB']);
    // The issuer is the first of nationality, citizenship, country that holds one; dates are not identifiers.
    expect(input.identifiers).toEqual([
      { kind: 'passport', value: 'SY:N0123456' },
      { kind: 'documentNumber', value: 'N0123456' },
    ]);
    expect(input.addresses).toEqual(['Rue 1, Beirut']);
  });

  it('reads an organization: jurisdiction and registration number, no birth date', () => {
    const input = matchInputOf('Company', {
      name: ['Megatrade LLC'],
      abbreviation: ['MT'],
      jurisdiction: ['ae'],
      registrationNumber: ['12345'],
      birthDate: ['1990'],
    });
    expect(input.kind).toBe('organization');
    expect(input.names).toEqual(['Megatrade LLC', 'MT']);
    expect(input.countries).toEqual(['AE']);
    expect(input.birthDates).toBeUndefined();
    expect(input.identifiers).toContainEqual({ kind: 'companyRegistration', value: 'AE:12345' });
  });

  it('leaves out what does not parse and empty values', () => {
    const input = matchInputOf('Person', {
      name: ['  ', 'Ana Berg'],
      birthDate: ['unknown'],
      nationality: ['Atlantis'],
    });
    expect(input).toEqual({ kind: 'person', names: ['Ana Berg'] });
  });
});

describe('nameKindOf', () => {
  it('maps schemata to the matcher’s kinds', () => {
    expect(nameKindOf('Person')).toBe('person');
    expect(nameKindOf('Company')).toBe('organization');
    expect(nameKindOf('Organization')).toBe('organization');
    expect(nameKindOf('PublicBody')).toBe('organization');
    expect(nameKindOf('LegalEntity')).toBe('other');
    expect(nameKindOf('Nonsense')).toBe('other');
  });
});

describe('partialDateOf', () => {
  it('keeps the year and month of an impossible day, and the precision of a partial date', () => {
    expect(partialDateOf('1975-02-30')).toEqual({ year: 1975, month: 2 });
    expect(partialDateOf('1975-13-01')).toEqual({ year: 1975 });
    expect(partialDateOf('1975-03')).toEqual({ year: 1975, month: 3 });
    expect(partialDateOf('circa 1965')).toEqual({ year: 1965 });
    expect(partialDateOf('nothing')).toBeNull();
  });
});
