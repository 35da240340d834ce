import fc from 'fast-check';
import { composeIBAN } from 'ibantools';
import { describe, expect, it } from 'vitest';
import { normalizeAccountNumber, normalizeBic, normalizeIban } from './identifiers.finance.js';

// Example IBANs from the IBAN registry and bank documentation; they belong to no one.
describe('normalizeIban', () => {
  it.each([
    ['DE89370400440532013000', 'DE89370400440532013000'],
    ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['de89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['DE89-3704-0044-0532-0130-00', 'DE89370400440532013000'],
    ['IBAN DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['IBAN: DE89370400440532013000', 'DE89370400440532013000'],
    ['  GB82 WEST 1234 5698 7654 32 ', 'GB82WEST12345698765432'],
    ['gb82west12345698765432', 'GB82WEST12345698765432'],
    ['NL91 ABNA 0417 1643 00', 'NL91ABNA0417164300'],
    ['FR14 2004 1010 0505 0001 3M02 606', 'FR1420041010050500013M02606'],
    ['CH93 0076 2011 6238 5295 7', 'CH9300762011623852957'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIban(raw)).toBe(expected);
  });

  it.each([
    ['DE89370400440532013001', 'wrong check digits'],
    ['DE88370400440532013000', 'wrong check number'],
    ['DE8937040044053201300', 'one digit short'],
    ['GB82WEST1234569876543X', 'a letter where the format wants a digit'],
    ['XX89370400440532013000', 'an unknown country'],
    ['0532013000', 'a domestic account number'],
    ['', 'empty'],
    ['IBAN', 'a bare label'],
  ])('%s → null: %s', (raw) => {
    expect(normalizeIban(raw)).toBeNull();
  });

  const germanIban = fc
    .tuple(fc.stringMatching(/^[1-9]\d{7}$/), fc.stringMatching(/^\d{10}$/))
    .map(([bank, account]) => composeIBAN({ countryCode: 'DE', bban: bank + account }))
    .filter((iban): iban is string => typeof iban === 'string');

  it('accepts any valid IBAN in any grouping and case, and gives it back unchanged', () => {
    fc.assert(
      fc.property(germanIban, fc.constantFrom(' ', '-', ''), fc.boolean(), (iban, sep, lower) => {
        const printed = (iban.match(/.{1,4}/g) ?? []).join(sep);
        expect(normalizeIban(lower ? printed.toLowerCase() : printed)).toBe(iban);
        expect(normalizeIban(iban)).toBe(iban);
      }),
    );
  });

  it('rejects every single-digit error (ISO 7064 mod 97 catches them all)', () => {
    fc.assert(
      fc.property(
        germanIban,
        fc.integer({ min: 4, max: 21 }),
        fc.integer({ min: 1, max: 9 }),
        (iban, at, delta) => {
          const digit = (Number(iban[at]) + delta) % 10;
          const typo = iban.slice(0, at) + digit + iban.slice(at + 1);
          expect(normalizeIban(typo)).toBeNull();
        },
      ),
    );
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (raw) => {
        const once = normalizeIban(raw);
        if (once !== null) expect(normalizeIban(once)).toBe(once);
      }),
    );
  });
});

describe('normalizeBic', () => {
  it.each([
    ['DEUTDEFF', 'DEUTDEFF'],
    ['deutdeff', 'DEUTDEFF'],
    ['DEUTDEFFXXX', 'DEUTDEFF'],
    ['deutdeffxxx', 'DEUTDEFF'],
    ['DEUT DE FF XXX', 'DEUTDEFF'],
    ['DEUTDEFF500', 'DEUTDEFF500'],
    ['BIC: DEUTDEFF', 'DEUTDEFF'],
    ['SWIFT code: NEDSZAJJXXX', 'NEDSZAJJ'],
    ['SWIFT/BIC NEDSZAJJ', 'NEDSZAJJ'],
    ['ABNANL2A', 'ABNANL2A'],
    // Bank codes that begin with the letters of the label stay whole.
    ['BICSFRPP', 'BICSFRPP'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeBic(raw)).toBe(expected);
  });

  it.each([
    ['ABN4NL2A', 'a digit in the bank code'],
    ['DEUTXXFF', 'an unknown country'],
    ['DEUTDEF', 'seven characters'],
    ['DEUTDEFF5', 'nine characters'],
    ['DEUTDEFF50', 'ten characters'],
    ['DEUTDEF0', 'a test BIC'],
    ['', 'empty'],
  ])('%s → null: %s', (raw) => {
    expect(normalizeBic(raw)).toBeNull();
  });

  it('gives a primary office the same value as BIC8 or BIC11, and is idempotent', () => {
    const bic8 = fc
      .tuple(
        fc.stringMatching(/^[A-Z]{4}$/),
        fc.constantFrom('DE', 'FR', 'GB', 'NL', 'ES'),
        fc.stringMatching(/^[A-Z1-9][A-Z1-9]$/),
      )
      .map(([bank, country, location]) => bank + country + location);
    fc.assert(
      fc.property(bic8, (bic) => {
        expect(normalizeBic(bic)).toBe(bic);
        expect(normalizeBic(`${bic}XXX`)).toBe(bic);
        expect(normalizeBic(bic.toLowerCase())).toBe(bic);
      }),
    );
  });
});

describe('normalizeAccountNumber', () => {
  it.each([
    ['0532013000', 'COBADEFFXXX', 'COBADEFF:532013000'],
    ['532013000', 'COBADEFF', 'COBADEFF:532013000'],
    ['0532 0130 00', 'cobadeff', 'COBADEFF:532013000'],
    ['053-201-300-0', 'COBADEFF500', 'COBADEFF:532013000'],
    ['12345678', 'NWBKGB2L', 'NWBKGB2L:12345678'],
  ])('%s at %s → %s', (raw, bic, expected) => {
    expect(normalizeAccountNumber(raw, bic)).toBe(expected);
  });

  it.each([
    ['0532013000', '', 'no bank'],
    ['0532013000', 'NOTABIC', 'an invalid bank'],
    ['123', 'COBADEFF', 'too short'],
    ['0000000', 'COBADEFF', 'only zeros'],
    ['ABC 123 !', 'COBADEFF', 'punctuation'],
  ])('%s at %s → null: %s', (raw, bic) => {
    expect(normalizeAccountNumber(raw, bic)).toBeNull();
  });

  it('keeps the same number at two banks apart', () => {
    expect(normalizeAccountNumber('12345678', 'NWBKGB2L')).not.toBe(
      normalizeAccountNumber('12345678', 'BARCGB22'),
    );
  });
});
