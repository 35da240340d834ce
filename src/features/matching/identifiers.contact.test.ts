import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from './identifiers.contact.js';

// Numbers from ranges regulators reserve for fiction: Ofcom's 020 7946 0xxx, ACMA's 0491 570 xxx,
// ARCEP's 01 99 00 xx xx, NANPA's 555-01xx.
describe('normalizePhone', () => {
  it.each([
    ['020 7946 0958', 'GB', '+442079460958'],
    ['020 7946 0958', 'gb', '+442079460958'],
    ['(020) 7946-0958', 'GB', '+442079460958'],
    ['+44 20 7946 0958', undefined, '+442079460958'],
    ['+44 (0) 20 7946 0958', undefined, '+442079460958'],
    ['+44 20 7946 0958', 'FR', '+442079460958'],
    ['0044 20 7946 0958', 'FR', '+442079460958'],
    ['0044 20 7946 0958', undefined, '+442079460958'],
    ['0044 20 7946 0958', 'US', '+442079460958'],
    ['tel:+44-20-7946-0958', undefined, '+442079460958'],
    ['Tel: +44 20 7946 0958 ext. 12', undefined, '+442079460958'],
    ['０２０ ７９４６ ０９５８', 'GB', '+442079460958'],
    ['٠٢٠٧٩٤٦٠٩٥٨', 'GB', '+442079460958'],
    ['0491 570 156', 'AU', '+61491570156'],
    ['+61 491 570 156', 'GB', '+61491570156'],
    ['01 99 00 12 34', 'FR', '+33199001234'],
    ['01.99.00.12.34', 'fr', '+33199001234'],
    ['(202) 555-0123', 'US', '+12025550123'],
    ['202.555.0123', 'us', '+12025550123'],
    ['+1 202 555 0123', 'DE', '+12025550123'],
    ['020 7946 0958', 'UK', '+442079460958'],
  ])('%s in %s → %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });

  it.each([
    ['020 7946 0958', undefined, 'a national number without a country'],
    ['020 7946 0958', 'XX', 'an unknown default country'],
    ['020 7946 0958', 'GBR', 'an alpha-3 default country'],
    ['+44 20 7946 095', undefined, 'too short'],
    ['+44 20 7946 09580', undefined, 'too long'],
    ['07700 900123', 'GB', 'possible but reserved for drama, so not valid'],
    ['123', 'GB', 'a fragment'],
    ['+999 1234 5678', undefined, 'an unassigned country code'],
    ['', 'GB', 'empty'],
    ['   ', 'GB', 'blank'],
    ['not a number', 'GB', 'text'],
    ['+44 20 7946 0958 / +44 20 7946 0959', undefined, 'two numbers in one value'],
  ])('%s (%s) → null: %s', (raw, country, _reason) => {
    expect(normalizePhone(raw, country)).toBeNull();
  });

  it('reads national numbers in the given country, so the same digits differ by country', () => {
    expect(normalizePhone('030 901820', 'DE')).toBe('+4930901820');
    expect(normalizePhone('030 901820', 'GB')).not.toBe('+4930901820');
  });

  it('gives the same E.164 for any formatting of a number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('+44 ', '0044 ', '0', '+44 (0)', '+44-', '(0)'),
        fc.constantFrom(' ', '-', '.', ''),
        (n, prefix, sep) => {
          const last = String(n).padStart(3, '0');
          const e164 = normalizePhone(`${prefix}20${sep}7946${sep}0${last}`, 'GB');
          expect(e164).toBe(`+442079460${last}`);
          expect(normalizePhone(e164!, 'US')).toBe(e164);
        },
      ),
    );
  });

  it('never throws and is idempotent on any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.constantFrom('GB', 'fr', 'US', undefined),
        (raw, c) => {
          const once = normalizePhone(raw, c);
          if (once !== null) expect(normalizePhone(once, c)).toBe(once);
        },
      ),
    );
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['anna.berg@example.org', 'anna.berg@example.org'],
    ['  Anna.Berg@Example.ORG  ', 'anna.berg@example.org'],
    ['anna.berg+newsletter@example.org', 'anna.berg@example.org'],
    ['anna.berg+a+b@example.org', 'anna.berg@example.org'],
    ['mailto:anna.berg@example.org', 'anna.berg@example.org'],
    ['MAILTO:Anna.Berg@example.org', 'anna.berg@example.org'],
    ['Anna Berg <anna.berg@example.org>', 'anna.berg@example.org'],
    ['"Berg, Anna" <Anna.Berg@Example.org>', 'anna.berg@example.org'],
    ['anna.berg@example.org.', 'anna.berg@example.org'],
    ['j.doe.1975@gmail.com', 'jdoe1975@gmail.com'],
    ['J.Doe+shopping@GMAIL.com', 'jdoe@gmail.com'],
    ['jdoe@googlemail.com', 'jdoe@gmail.com'],
    ['j.d.o.e@googlemail.com', 'jdoe@gmail.com'],
    ['j.doe@outlook.com', 'j.doe@outlook.com'],
    ['j.doe+tag@outlook.com', 'j.doe@outlook.com'],
    ['j.doe-alias@yahoo.com', 'j.doe-alias@yahoo.com'],
    ['ana@bücher.example', 'ana@xn--bcher-kva.example'],
    ['ana@xn--bcher-kva.example', 'ana@xn--bcher-kva.example'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['Анна@пример.рф', 'анна@xn--e1afmkfd.xn--p1ai'],
    ['first_last@sub.example.co.uk', 'first_last@sub.example.co.uk'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['anna.berg', 'no @'],
    ['anna.berg@', 'no domain'],
    ['@example.org', 'no local part'],
    ['anna@berg@example.org', 'two @'],
    ['anna.berg@localhost', 'a bare host name'],
    ['anna.berg@192.168.0.1', 'an IP address'],
    ['anna berg@example.org', 'a space in the local part'],
    ['"anna berg"@example.org', 'a quoted local part'],
    ['+news@example.org', 'nothing before the tag'],
    ['.anna@example.org', 'a leading dot'],
    ['anna.@example.org', 'a trailing dot'],
    ['anna..berg@example.org', 'two dots'],
    ['anna@-example.org', 'a label starting with a hyphen'],
    ['anna@example..org', 'an empty label'],
    [`${'a'.repeat(65)}@example.org`, 'a local part over 64 characters'],
  ])('%s → null: %s', (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });

  it('is insensitive to case and sub-address tags, and idempotent', () => {
    const local = fc
      .stringMatching(/^[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?$/)
      .filter((s) => !s.includes('..'));
    const tag = fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined });
    fc.assert(
      fc.property(local, tag, fc.constantFrom('example.org', 'Example.COM', 'outlook.com'), (l, t, d) => {
        const plain = normalizeEmail(`${l}@${d}`);
        expect(plain).toBe(`${l}@${d.toLowerCase()}`);
        const decorated = `${l.toUpperCase()}${t ? `+${t}` : ''}@${d.toUpperCase()}`;
        expect(normalizeEmail(decorated)).toBe(plain);
        expect(normalizeEmail(plain!)).toBe(plain);
      }),
    );
  });

  it('never throws and is idempotent on any text', () => {
    const emailish = fc.string({ unit: fc.constantFrom(...'aB.+@-_ ü<>"x1'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(emailish, fc.string({ unit: 'binary', maxLength: 30 })), (raw) => {
        const once = normalizeEmail(raw);
        if (once !== null) expect(normalizeEmail(once)).toBe(once);
      }),
    );
  });
});
