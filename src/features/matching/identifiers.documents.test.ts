import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCountryCode } from './identifiers.country.js';
import {
  compactDocumentNumber,
  mmsiMid,
  normalizeAircraftRegistration,
  normalizeCompanyRegistration,
  normalizeDocumentNumber,
  normalizeIdNumber,
  normalizeImo,
  normalizeMmsi,
  normalizePassportNumber,
  normalizeVehicleRegistration,
} from './identifiers.documents.js';

describe('normalizeCountryCode', () => {
  it.each([
    ['es', 'ES'],
    ['ES', 'ES'],
    [' de ', 'DE'],
    ['UK', 'GB'],
    ['uk', 'GB'],
    ['EL', 'GR'],
    ['xk', 'XK'],
    ['eu', 'EU'],
    ['United Kingdom', 'GB'],
    ['north korea', 'KP'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeCountryCode(raw)).toBe(expected);
  });

  it.each([
    ['ESP', 'alpha-3 (no library maps it)'],
    ['GBR', 'alpha-3'],
    ['XX', 'unassigned'],
    ['zz', 'FtM "Global", not an issuer'],
    ['suhh', 'a historical FtM code'],
    ['ua-cri', 'a disputed-territory FtM code'],
    ['', 'empty'],
    [null, 'null'],
    [undefined, 'undefined'],
  ])('%s → null: %s', (raw, _reason) => {
    expect(normalizeCountryCode(raw)).toBeNull();
  });
});

describe('compactDocumentNumber', () => {
  it.each([
    ['xda-123.456', 'XDA123456'],
    ['XDA 123 456', 'XDA123456'],
    ['ＸＤＡ１２３４５６', 'XDA123456'],
    ['No. 123456', '123456'],
    ['Nr: 123456', '123456'],
    ['N° 123456', '123456'],
    ['N. 123456', '123456'],
    ['N.123456', 'N123456'],
    ['NO.123456', '123456'],
    ['№ 123456', '123456'],
    ['# 123456', '123456'],
    ['NO 123456', 'NO123456'],
    // Cyrillic and Greek look-alikes read as the Latin letters they show.
    ['АВ 1234', 'AB1234'],
    ['ВН1234', 'BH1234'],
    ['ΑΒΕ-1234', 'ABE1234'],
    ['٤٥٠٦١٢٣٤٥٦', '4506123456'],
  ])('%s → %s', (raw, expected) => {
    expect(compactDocumentNumber(raw)).toBe(expected);
  });
});

describe('passport and identity numbers', () => {
  it.each([
    ['XDA123456', 'es', 'ES:XDA123456'],
    ['xda 123 456', 'ES', 'ES:XDA123456'],
    ['XDA-123-456', 'Spain', 'ES:XDA123456'],
    ['0012345', 'fr', 'FR:12345'],
    ['C01X00T47', 'de', 'DE:C01X00T47'],
    ['ES:XDA123456', undefined, 'ES:XDA123456'],
    ['ES:XDA123456', 'es', 'ES:XDA123456'],
    ['МР1234567', 'by', 'BY:MP1234567'],
    ['123456789', 'UK', 'GB:123456789'],
  ])('passport %s of %s → %s', (raw, country, expected) => {
    expect(normalizePassportNumber(raw, country)).toBe(expected);
  });

  it.each([
    ['XDA123456', undefined, 'no issuing country'],
    ['XDA123456', 'ESP', 'an alpha-3 country'],
    ['XDA123456', 'XX', 'an unknown country'],
    ['ES:XDA123456', 'fr', 'a qualified value with another country'],
    ['123', 'es', 'too short'],
    ['0000123', 'es', 'too short once the padding is gone'],
    ['ABCDEFG', 'es', 'no digit'],
    ['UNKNOWN', 'es', 'a placeholder'],
    ['n/a', 'es', 'a placeholder'],
    ['999999999', 'es', 'one repeated digit'],
    ['00000000', 'es', 'only zeros'],
    ['', 'es', 'empty'],
  ])('passport %s of %s → null: %s', (raw, country, _reason) => {
    expect(normalizePassportNumber(raw, country)).toBeNull();
  });

  it('qualifies identity numbers the same way', () => {
    expect(normalizeIdNumber('12.345.678-Z', 'es')).toBe('ES:12345678Z');
    expect(normalizeIdNumber('IALA530122HDFCZL08', 'mx')).toBe('MX:IALA530122HDFCZL08');
    expect(normalizeIdNumber('01055336', 'ye')).toBe(normalizeIdNumber('1055336', 'YE'));
    expect(normalizeIdNumber('12345678Z', null)).toBeNull();
  });

  it('keeps the same number from two issuers apart', () => {
    expect(normalizePassportNumber('XDA123456', 'es')).not.toBe(normalizePassportNumber('XDA123456', 'pt'));
  });

  it('gives the bare number for records without an issuer', () => {
    expect(normalizeDocumentNumber('xda 123 456')).toBe('XDA123456');
    expect(normalizeDocumentNumber('ES:XDA123456')).toBe('XDA123456');
    expect(normalizeDocumentNumber('00445790')).toBe('445790');
    expect(normalizeDocumentNumber('none')).toBeNull();
  });

  it('ignores separators, case, full-width forms and padding zeros', () => {
    // Letters other than N: "NO.123" reads as the label "No." (see compactDocumentNumber).
    const number = fc.stringMatching(/^[A-MO-Z]{0,3}[1-9][0-9]{4,8}$/);
    const separator = fc.constantFrom('', ' ', '-', '.', '/');
    fc.assert(
      fc.property(
        number,
        fc.array(separator, { minLength: 20, maxLength: 20 }),
        fc.nat(3),
        (n, seps, zeros) => {
          const decorated =
            '0'.repeat(/^\d/.test(n) ? zeros : 0) + [...n].map((c, i) => c + (seps[i] ?? '')).join('');
          const canonical = normalizePassportNumber(n, 'fr');
          expect(canonical).toBe(`FR:${n}`);
          expect(normalizePassportNumber(decorated.toLowerCase(), 'FR')).toBe(canonical);
          expect(normalizePassportNumber(canonical!, 'fr')).toBe(canonical);
          expect(normalizePassportNumber(canonical!, undefined)).toBe(canonical);
        },
      ),
    );
  });
});

describe('company registration numbers', () => {
  it.each([
    ['00445790', 'gb', 'GB:445790'],
    ['445790', 'GB', 'GB:445790'],
    ['SC123456', 'gb', 'GB:SC123456'],
    ['B-12345678', 'es', 'ES:B12345678'],
    ['HRB 12345', 'de', 'DE:HRB12345'],
    ['900345938-9', 'co', 'CO:9003459389'],
    ['65-0842701', 'us', 'US:650842701'],
    ['GB:00445790', undefined, 'GB:445790'],
  ])('%s in %s → %s', (raw, jurisdiction, expected) => {
    expect(normalizeCompanyRegistration(raw, jurisdiction)).toBe(expected);
  });

  it.each([
    ['445790', undefined],
    ['445790', 'zz'],
    ['none', 'gb'],
    ['12', 'gb'],
  ])('%s in %s → null', (raw, jurisdiction) => {
    expect(normalizeCompanyRegistration(raw, jurisdiction)).toBeNull();
  });
});

describe('vehicle and aircraft registrations', () => {
  it.each([
    ['B-AB 1234', 'de', 'DE:BAB1234'],
    ['b ab 1234', 'DE', 'DE:BAB1234'],
    ['AB-123-CD', 'fr', 'FR:AB123CD'],
    ['1234 BCD', 'es', 'ES:1234BCD'],
    ['LX21 ABC', 'UK', 'GB:LX21ABC'],
    // A Russian plate typed in Cyrillic and in Latin look-alikes.
    ['В 123 ОР 77', 'ru', 'RU:B123OP77'],
    ['B 123 OP 77', 'ru', 'RU:B123OP77'],
    ['ΙΚΥ-1234', 'gr', 'GR:IKY1234'],
    ['007', 'mc', 'MC:007'],
    ['BOSS', 'us', 'US:BOSS'],
    ['DE:BAB1234', undefined, 'DE:BAB1234'],
    ['AIR:DABCD', undefined, 'AIR:DABCD'],
  ])('%s in %s → %s', (raw, country, expected) => {
    expect(normalizeVehicleRegistration(raw, country)).toBe(expected);
  });

  it.each([
    ['B-AB 1234', undefined, 'no country'],
    ['B-AB 1234', 'DEU', 'an alpha-3 country'],
    ['A', 'de', 'too short'],
    ['ABCDEFGHIJKLMNOP', 'de', 'too long'],
    ['', 'de', 'empty'],
    ['DE:BAB1234', 'fr', 'a qualified value with another country'],
  ])('%s in %s → null: %s', (raw, country, _reason) => {
    expect(normalizeVehicleRegistration(raw, country)).toBeNull();
  });

  it('writes aircraft marks without a country, since their prefix is one', () => {
    expect(normalizeAircraftRegistration('D-ABCD')).toBe('AIR:DABCD');
    expect(normalizeAircraftRegistration('n12345')).toBe('AIR:N12345');
    expect(normalizeAircraftRegistration('EP-ABC')).toBe('AIR:EPABC');
    expect(normalizeAircraftRegistration('AIR:EPABC')).toBe('AIR:EPABC');
    expect(normalizeAircraftRegistration('X')).toBeNull();
  });
});

describe('IMO numbers', () => {
  it.each([
    // Wikipedia's worked example: 9×7 + 0×6 + 7×5 + 4×4 + 7×3 + 2×2 = 139, check digit 9.
    ['9074729', '9074729'],
    ['IMO 9074729', '9074729'],
    ['IMO9074729', '9074729'],
    ['imo: 9074729', '9074729'],
    ['IMO No. 9074729', '9074729'],
    ['IMO Number 9074729', '9074729'],
    ['907 4729', '9074729'],
    // 1×7 + 2×6 + 3×5 + 4×4 + 5×3 + 6×2 = 77, check digit 7.
    ['1234567', '1234567'],
  ])('ship %s → %s', (raw, expected) => {
    expect(normalizeImo(raw)).toBe(expected);
  });

  it.each([
    ['9074728', 'wrong check digit'],
    ['1234560', 'wrong check digit'],
    ['907472', 'six digits'],
    ['90747290', 'eight digits'],
    ['IMO', 'label only'],
    ['0000000', 'zeros'],
    ['MMSI 9074729', 'another label'],
  ])('ship %s → null: %s', (raw) => {
    expect(normalizeImo(raw)).toBeNull();
  });

  it('checks company numbers with their own weights', () => {
    // Published company numbers (IMO GISIS) used by open-source validators' tests.
    expect(normalizeImo('IMO5808451', 'company')).toBe('5808451');
    expect(normalizeImo('IMO0344771', 'company')).toBe('0344771');
    expect(normalizeImo('IMO0289239', 'company')).toBe('0289239');
    // 1×8 + 2×6 + 3×4 + 4×2 + 5×9 + 6×7 = 127; 127 mod 11 = 6; (11 − 6) mod 10 = 5.
    expect(normalizeImo('1234565', 'company')).toBe('1234565');
    expect(normalizeImo('5808452', 'company')).toBeNull();
    expect(normalizeImo('5808451', 'ship')).toBeNull();
  });

  it('accepts exactly one check digit for every six-digit serial, under each scheme', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{6}$/).filter((s) => s !== '000000'),
        fc.constantFrom('ship', 'company' as const),
        (serial, holder) => {
          const accepted = [...'0123456789'].filter((d) => normalizeImo(serial + d, holder) !== null);
          expect(accepted).toHaveLength(1);
          const full = serial + accepted[0];
          expect(normalizeImo(`IMO ${full}`, holder)).toBe(full);
        },
      ),
    );
  });
});

describe('MMSI', () => {
  it.each([
    ['244123456', '244123456'],
    ['MMSI 244 123 456', '244123456'],
    ['mmsi: 244-123-456', '244123456'],
    ['538009876', '538009876'],
    ['775000001', '775000001'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeMmsi(raw)).toBe(expected);
  });

  it.each([
    ['002441234', 'a coast station'],
    ['024412345', 'a group call'],
    ['111244123', 'a SAR aircraft'],
    ['824412345', 'a handheld VHF'],
    ['970123456', 'an AIS-SART'],
    ['992441234', 'an aid to navigation'],
    ['24412345', 'eight digits'],
    ['2441234567', 'ten digits'],
    ['', 'empty'],
  ])('%s → null: %s', (raw) => {
    expect(normalizeMmsi(raw)).toBeNull();
  });

  it('keeps the MID, which names the flag', () => {
    expect(mmsiMid('244123456')).toBe('244');
    expect(mmsiMid('970123456')).toBeNull();
  });

  it('accepts a nine-digit number exactly when it is a ship station, unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (digits) => {
        expect(normalizeMmsi(digits)).toBe(/^[2-7]/.test(digits) ? digits : null);
      }),
    );
  });
});
