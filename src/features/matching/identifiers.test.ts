import * as ftm from '@opensanctions/followthemoney';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FEATURE_RULES,
  IDENTIFIER_KINDS,
  type IdentifierContext,
  type IdentifierKind,
  identifierFeatures,
  normalizeIdentifier,
  normalizeUsername,
} from './identifiers.js';

const model = new ftm.Model(ftm.defaultModel);

describe('normalizeIdentifier', () => {
  const cases: Array<[IdentifierKind, string, IdentifierContext, string | null]> = [
    ['phone', '020 7946 0958', { ownerCountry: 'gb' }, '+442079460958'],
    ['phone', '020 7946 0958', { country: 'GB' }, '+442079460958'],
    ['phone', '020 7946 0958', {}, null],
    ['email', 'Anna.Berg+x@Example.org', {}, 'anna.berg@example.org'],
    ['iban', 'DE89 3704 0044 0532 0130 00', {}, 'DE89370400440532013000'],
    ['iban', 'DE89 3704 0044 0532 0130 01', {}, null],
    ['bic', 'DEUTDEFFXXX', {}, 'DEUTDEFF'],
    [
      'crypto',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      {},
      'btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    ],
    [
      'crypto',
      '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
      { currency: 'LTC' },
      'ltc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
    ],
    ['passport', 'xda 123 456', { country: 'es' }, 'ES:XDA123456'],
    ['passport', 'xda 123 456', {}, null],
    ['idNumber', '12.345.678-Z', { country: 'ES' }, 'ES:12345678Z'],
    ['imo', 'IMO 9074729', {}, '9074729'],
    ['imo', 'IMO 5808451', { imoHolder: 'company' }, '5808451'],
    ['imo', 'IMO 5808451', {}, null],
    ['mmsi', 'MMSI 244 123 456', {}, '244123456'],
    ['vehicle', 'B-AB 1234', { country: 'de' }, 'DE:BAB1234'],
    ['companyRegistration', '00445790', { country: 'gb' }, 'GB:445790'],
    ['date', '12/03/1975', {}, '1975-03-12'],
    ['date', '2023-02-30', {}, null],
  ];
  it.each(cases)('%s %s %o → %s', (kind, raw, context, expected) => {
    expect(normalizeIdentifier(kind, raw, context)).toBe(expected);
  });

  it('returns null for values that are not strings', () => {
    for (const kind of IDENTIFIER_KINDS) {
      for (const value of [null, undefined, 42, {}, ['+442079460958']]) {
        expect(normalizeIdentifier(kind, value as unknown as string, { country: 'gb' })).toBeNull();
      }
    }
  });

  const context = fc.record(
    {
      ownerCountry: fc.constantFrom('gb', 'FR', 'us', 'XX', 'ESP', ''),
      country: fc.constantFrom('es', 'DE', 'UK', 'zz', 'Spain', ''),
      currency: fc.constantFrom('BTC', 'LTC', 'ETH', 'USDT', ''),
      imoHolder: fc.constantFrom('ship' as const, 'company' as const),
    },
    { requiredKeys: [] },
  );
  // Text drawn from the characters identifiers are made of, so that some draws are valid.
  const identifierish = fc.string({
    unit: fc.constantFrom(...'0123456789 +-./:@()ABCDEFXabcdefxIMOSPRTeslmgo#°ВН'.split('')),
    maxLength: 30,
  });
  const anyText = fc.oneof(
    identifierish,
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ maxLength: 40 }),
  );

  it('never throws, and gives a canonical value back unchanged, for every kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...IDENTIFIER_KINDS), anyText, context, (kind, raw, ctx) => {
        const once = normalizeIdentifier(kind, raw, ctx);
        expect(once === null || typeof once === 'string').toBe(true);
        if (once !== null) expect(normalizeIdentifier(kind, once, ctx)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a canonical value back unchanged for valid values of every kind', () => {
    const valid: Array<[IdentifierKind, string, IdentifierContext]> = cases
      .filter(([, , , expected]) => expected !== null)
      .map(([kind, raw, ctx]) => [kind, raw, ctx]);
    for (const [kind, raw, ctx] of valid) {
      const once = normalizeIdentifier(kind, raw, ctx);
      expect(once).not.toBeNull();
      expect(normalizeIdentifier(kind, once!, ctx)).toBe(once);
    }
  });
});

describe('normalizeUsername', () => {
  it.each([
    ['Ana_Berg', 'ana_berg'],
    ['@Ana_Berg', 'ana_berg'],
    ['https://t.me/Ana_Berg', 'ana_berg'],
    ['https://twitter.com/ana_berg/', 'ana_berg'],
    ['instagram.com/ana.berg?hl=en', 'ana.berg'],
    ['https://www.tiktok.com/@ana.berg', 'ana.berg'],
    ['анна_берг', 'анна_берг'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeUsername(raw)).toBe(expected);
  });

  it.each([['a'], [''], ['ana berg'], ['___'], ['https://example.org/a/b/c']])('%s → null', (raw) => {
    expect(normalizeUsername(raw)).toBeNull();
  });
});

describe('identifierFeatures', () => {
  it('reads only properties the installed FollowTheMoney model defines', () => {
    for (const rule of FEATURE_RULES) {
      const schema = model.getSchema(rule.schema);
      expect(schema.hasProperty(rule.property), `${rule.schema}.${rule.property}`).toBe(true);
      for (const issuer of rule.issuer ?? []) {
        expect(schema.hasProperty(issuer), `${rule.schema}.${issuer}`).toBe(true);
        expect(schema.getProperty(issuer).type.name, `${rule.schema}.${issuer}`).toBe('country');
      }
      for (const other of rule.except ?? []) expect(model.getSchema(other).isA(rule.schema)).toBe(true);
    }
    // Properties read beside the rules.
    expect(model.getSchema('BankAccount').hasProperty('bic')).toBe(true);
    expect(model.getSchema('CryptoWallet').hasProperty('currencySymbol')).toBe(true);
    expect(model.getSchema('CryptoWallet').hasProperty('currency')).toBe(true);
    expect(model.getSchema('Identification').hasProperty('type')).toBe(true);
    expect(model.getSchema('Thing').hasProperty('country')).toBe(true);
  });

  it('extracts a person’s contacts, documents and birth date, with nationality as issuer', () => {
    const features = identifierFeatures(
      'Person',
      {
        name: ['Ana Berg'],
        phone: ['020 7946 0958', '+44 20 7946 0958'],
        email: ['Ana.Berg+travel@Example.org'],
        passportNumber: ['XDA 123456'],
        idNumber: ['12.345.678-Z'],
        birthDate: ['12/03/1975'],
        nationality: ['es'],
      },
      'gb',
    );
    expect(features).toEqual([
      { kind: 'email', value: 'ana.berg@example.org' },
      { kind: 'phone', value: '+442079460958' },
      { kind: 'passport', value: 'ES:XDA123456' },
      { kind: 'documentNumber', value: 'XDA123456' },
      { kind: 'idNumber', value: 'ES:12345678Z' },
      { kind: 'documentNumber', value: '12345678Z' },
      { kind: 'date', value: '1975-03-12' },
    ]);
  });

  it('gives a dual national one passport feature per possible issuer', () => {
    const features = identifierFeatures('Person', {
      passportNumber: ['XDA123456'],
      nationality: ['es', 'FR', 'ESP'],
    });
    expect(features.filter((f) => f.kind === 'passport').map((f) => f.value)).toEqual([
      'ES:XDA123456',
      'FR:XDA123456',
    ]);
  });

  it('falls back from nationality to citizenship to country, and keeps the bare number without any', () => {
    const passports = (props: Record<string, string[]>) =>
      identifierFeatures('Person', { passportNumber: ['XDA123456'], ...props }).map(
        (f) => `${f.kind}=${f.value}`,
      );
    expect(passports({ citizenship: ['pt'], country: ['fr'] })).toContain('passport=PT:XDA123456');
    expect(passports({ country: ['fr'] })).toContain('passport=FR:XDA123456');
    expect(passports({})).toEqual(['documentNumber=XDA123456']);
  });

  it('reads national phone numbers in the owner’s country, else the entity’s', () => {
    expect(identifierFeatures('Person', { phone: ['01 99 00 12 34'] }, 'FR')).toEqual([
      { kind: 'phone', value: '+33199001234' },
    ]);
    expect(identifierFeatures('Person', { phone: ['01 99 00 12 34'], country: ['fr'] })).toEqual([
      { kind: 'phone', value: '+33199001234' },
    ]);
    expect(identifierFeatures('Person', { phone: ['01 99 00 12 34'] })).toEqual([]);
  });

  it('qualifies company registrations by jurisdiction, else main country, else country', () => {
    for (const schema of ['Company', 'Organization', 'PublicBody', 'LegalEntity']) {
      expect(identifierFeatures(schema, { registrationNumber: ['00445790'], jurisdiction: ['gb'] })).toEqual([
        { kind: 'companyRegistration', value: 'GB:445790' },
        { kind: 'documentNumber', value: '445790' },
      ]);
    }
    expect(
      identifierFeatures('Company', { registrationNumber: ['445790'], mainCountry: ['ie'], country: ['gb'] }),
    ).toContainEqual({
      kind: 'companyRegistration',
      value: 'IE:445790',
    });
    expect(identifierFeatures('Company', { taxNumber: ['B12345678'], country: ['es'] })).toContainEqual({
      kind: 'companyRegistration',
      value: 'ES:B12345678',
    });
  });

  it('does not read a person’s identity number as a company registration', () => {
    const kinds = identifierFeatures('Person', { idNumber: ['12345678Z'], country: ['es'] }).map(
      (f) => f.kind,
    );
    expect(kinds).toContain('idNumber');
    expect(kinds).not.toContain('companyRegistration');
  });

  it('extracts a company’s contacts, a bank’s BIC and a shipping company’s IMO number', () => {
    const features = identifierFeatures('Company', {
      email: ['info@example.com'],
      phone: ['+44 20 7946 0000'],
      swiftBic: ['DEUTDEFFXXX'],
      imoNumber: ['IMO 5808451'],
      incorporationDate: ['2001-05'],
    });
    expect(features).toEqual([
      { kind: 'email', value: 'info@example.com' },
      { kind: 'phone', value: '+442079460000' },
      { kind: 'bic', value: 'DEUTDEFF' },
      { kind: 'date', value: '2001-05' },
      { kind: 'imo', value: '5808451' },
    ]);
  });

  it('extracts a vessel’s IMO number, MMSI and flag registration', () => {
    expect(
      identifierFeatures('Vessel', {
        imoNumber: ['IMO 9074729', 'IMO 9074728'],
        mmsi: ['244123456'],
        registrationNumber: ['12345'],
        flag: ['nl'],
      }),
    ).toEqual([
      { kind: 'imo', value: '9074729' },
      { kind: 'mmsi', value: '244123456' },
      { kind: 'vehicle', value: 'NL:12345' },
    ]);
  });

  it('extracts vehicle plates with their country and aircraft marks without', () => {
    expect(identifierFeatures('Vehicle', { registrationNumber: ['B-AB 1234'], country: ['de'] })).toEqual([
      { kind: 'vehicle', value: 'DE:BAB1234' },
    ]);
    expect(identifierFeatures('Vehicle', { registrationNumber: ['B-AB 1234'] })).toEqual([]);
    expect(identifierFeatures('Airplane', { registrationNumber: ['D-ABCD'], country: ['fr'] })).toEqual([
      { kind: 'vehicle', value: 'AIR:DABCD' },
    ]);
  });

  it('extracts bank accounts: IBANs wherever written, domestic numbers with their bank', () => {
    expect(
      identifierFeatures('BankAccount', {
        iban: ['DE89 3704 0044 0532 0130 00'],
        accountNumber: ['GB82 WEST 1234 5698 7654 32', '0532013000'],
        bic: ['COBADEFFXXX'],
      }),
    ).toEqual([
      { kind: 'iban', value: 'DE89370400440532013000' },
      { kind: 'iban', value: 'GB82WEST12345698765432' },
      { kind: 'accountNumber', value: 'COBADEFF:532013000' },
    ]);
    // The bank alone says nothing about whose account it is.
    expect(identifierFeatures('BankAccount', { accountNumber: ['0532013000'], bic: ['COBADEFF'] })).toEqual([
      { kind: 'accountNumber', value: 'COBADEFF:532013000' },
    ]);
    expect(identifierFeatures('BankAccount', { bic: ['COBADEFF'] })).toEqual([]);
    expect(identifierFeatures('BankAccount', { accountNumber: ['0532013000'] })).toEqual([]);
  });

  it('extracts crypto wallets with the recorded currency', () => {
    expect(
      identifierFeatures('CryptoWallet', {
        publicKey: ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
        currencySymbol: ['LTC'],
      }),
    ).toEqual([{ kind: 'crypto', value: 'ltc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy' }]);
    expect(
      identifierFeatures('CryptoWallet', {
        publicKey: ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
        currency: ['USDT'],
      }),
    ).toEqual([{ kind: 'crypto', value: 'eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed' }]);
    expect(
      identifierFeatures('CryptoWallet', { publicKey: ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'] }),
    ).toEqual([]);
  });

  it('extracts passports and identifications with their country', () => {
    expect(
      identifierFeatures('Passport', {
        number: ['XDA123456'],
        passportNumber: ['XDA-123456'],
        personalNumber: ['12345678Z'],
        country: ['es'],
        birthDate: ['1975'],
      }),
    ).toEqual([
      { kind: 'passport', value: 'ES:XDA123456' },
      { kind: 'documentNumber', value: 'XDA123456' },
      { kind: 'idNumber', value: 'ES:12345678Z' },
      { kind: 'documentNumber', value: '12345678Z' },
      { kind: 'date', value: '1975' },
    ]);
    expect(identifierFeatures('Identification', { number: ['12345678Z'], country: ['es'] })).toContainEqual({
      kind: 'idNumber',
      value: 'ES:12345678Z',
    });
    expect(
      identifierFeatures('Identification', { number: ['XDA123456'], country: ['es'], type: ['Pasaporte'] }),
    ).toContainEqual({ kind: 'passport', value: 'ES:XDA123456' });
  });

  it('extracts user accounts’ e-mail, phone and handle', () => {
    expect(
      identifierFeatures('UserAccount', {
        email: ['Ana.Berg@Example.org'],
        phone: ['+61 491 570 156'],
        username: ['@Ana_Berg', 'https://t.me/ana_berg'],
        service: ['Telegram'],
      }),
    ).toEqual([
      { kind: 'email', value: 'ana.berg@example.org' },
      { kind: 'phone', value: '+61491570156' },
      { kind: 'username', value: 'ana_berg' },
    ]);
  });

  it('yields nothing for addresses, unknown schemata and malformed property maps', () => {
    expect(identifierFeatures('Address', { full: ['1 Example Street'], country: ['gb'] })).toEqual([]);
    expect(identifierFeatures('NotASchema', { email: ['a@example.org'] })).toEqual([]);
    expect(identifierFeatures('Person', null as unknown as Record<string, string[]>)).toEqual([]);
    expect(
      identifierFeatures('Person', {
        email: 'a@example.org' as unknown as string[],
        phone: [42 as unknown as string],
      }),
    ).toEqual([]);
  });

  it('never throws on arbitrary property values, and emits only canonical values', () => {
    const schema = fc.constantFrom(
      'Person',
      'Organization',
      'Company',
      'LegalEntity',
      'PublicBody',
      'Vessel',
      'Vehicle',
      'Airplane',
      'BankAccount',
      'CryptoWallet',
      'Identification',
      'Passport',
      'UserAccount',
      'Address',
    );
    const property = fc.constantFrom(
      ...new Set(FEATURE_RULES.flatMap((r) => [r.property, ...(r.issuer ?? [])])),
      'bic',
      'currency',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        'es',
        'gb',
        'DE89370400440532013000',
        'IMO 9074729',
        '244123456',
        '020 7946 0958',
        'a@example.org',
      ),
    );
    fc.assert(
      fc.property(schema, fc.dictionary(property, fc.array(value, { maxLength: 3 })), (s, props) => {
        const features = identifierFeatures(s, props, 'gb');
        const keys = features.map((f) => `${f.kind}:${f.value}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const f of features) {
          if ((IDENTIFIER_KINDS as readonly string[]).includes(f.kind)) {
            const kind = f.kind as IdentifierKind;
            const again =
              kind === 'imo'
                ? normalizeIdentifier(kind, f.value, { imoHolder: s === 'Vessel' ? 'ship' : 'company' })
                : normalizeIdentifier(kind, f.value, { ownerCountry: 'gb' });
            expect(again, `${kind} ${f.value}`).toBe(f.value);
          }
        }
      }),
    );
  });
});
