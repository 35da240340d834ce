/**
 * Identifier normalizers for cross-jurisdiction matching (DOMAIN.md "Cross-jurisdiction matching").
 *
 * Every normalizer takes a raw value (and the context it needs) and returns either null — not a
 * usable identifier; normalizers never throw — or the canonical string that any two organizations
 * holding the same identifier both produce. Canonical strings are what gets keyed-hashed into blind
 * keys, so they must be stable: normalizing a canonical string gives it back unchanged.
 *
 * Canonical forms, by kind:
 * - phone                E.164                               "+442079460958"
 * - email                lower case, see normalizeEmail      "anna.berg@example.org", "jdoe@gmail.com"
 * - iban                 electronic format                   "DE89370400440532013000"
 * - bic                  BIC8, or BIC11 for a branch         "DEUTDEFF", "DEUTDEFF500"
 * - crypto               currency:address                    "btc:bc1q…", "eth:0x5aaeb605…"
 * - passport, idNumber,  ISSUER:NUMBER, issuer ISO alpha-2   "ES:XDA123456", "GB:445790"
 *   companyRegistration
 * - vehicle              COUNTRY:PLATE, or AIR:MARK          "DE:BAB1234", "AIR:DABCD"
 * - imo                  seven digits                        "9074729"
 * - mmsi                 nine digits (MID kept)              "244123456"
 * - date                 ISO 8601 prefix                     "1975", "1975-03", "1975-03-12"
 * `identifierFeatures` adds three kinds of its own (see FeatureKind): documentNumber,
 * accountNumber and username.
 */
import * as ftm from '@opensanctions/followthemoney';
import { normalizeEmail, normalizePhone } from './identifiers.contact.js';
import { normalizeCountryCode } from './identifiers.country.js';
import { normalizeCryptoAddress } from './identifiers.crypto.js';
import { normalizeDate } from './identifiers.date.js';
import {
  type ImoHolder,
  normalizeAircraftRegistration,
  normalizeCompanyRegistration,
  normalizeDocumentNumber,
  normalizeIdNumber,
  normalizeImo,
  normalizeMmsi,
  normalizePassportNumber,
  normalizeVehicleRegistration,
} from './identifiers.documents.js';
import { normalizeAccountNumber, normalizeBic, normalizeIban } from './identifiers.finance.js';

export { normalizeEmail, normalizePhone } from './identifiers.contact.js';
export { normalizeCountryCode } from './identifiers.country.js';
export {
  type CryptoAddress,
  type CryptoCurrency,
  cryptoCurrencyOf,
  eip55Checksum,
  normalizeCryptoAddress,
  parseCryptoAddress,
} from './identifiers.crypto.js';
export { datePrefixes, normalizeDate, type PartialDate, parsePartialDate } from './identifiers.date.js';
export {
  compactDocumentNumber,
  type ImoHolder,
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
export { normalizeAccountNumber, normalizeBic, normalizeIban } from './identifiers.finance.js';

/** The identifier kinds `normalizeIdentifier` understands. */
export const IDENTIFIER_KINDS = [
  'phone',
  'email',
  'iban',
  'bic',
  'crypto',
  'passport',
  'idNumber',
  'imo',
  'mmsi',
  'vehicle',
  'companyRegistration',
  'date',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** What some normalizers need besides the value. */
export interface IdentifierContext {
  /** The owning organization's country (ISO alpha-2, any case): where national phone numbers are read. */
  ownerCountry?: string | null;
  /** The issuing country or jurisdiction of a passport, identity number, registration or plate. */
  country?: string | null;
  /** The currency or chain a crypto address is recorded under ("BTC", "USDT-TRC20"). */
  currency?: string | null;
  /** Whether an IMO number is a ship's (default) or a company's; their check digits differ. */
  imoHolder?: ImoHolder;
}

/**
 * The canonical string of an identifier of the given kind, or null when the value is not a usable
 * identifier of that kind. Never throws. See the module comment for each kind's canonical form.
 */
export function normalizeIdentifier(
  kind: IdentifierKind,
  raw: string,
  context: IdentifierContext = {},
): string | null {
  if (typeof raw !== 'string') return null;
  try {
    switch (kind) {
      case 'phone':
        return normalizePhone(raw, context.ownerCountry ?? context.country ?? undefined);
      case 'email':
        return normalizeEmail(raw);
      case 'iban':
        return normalizeIban(raw);
      case 'bic':
        return normalizeBic(raw);
      case 'crypto':
        return normalizeCryptoAddress(raw, context.currency);
      case 'passport':
        return normalizePassportNumber(raw, context.country);
      case 'idNumber':
        return normalizeIdNumber(raw, context.country);
      case 'imo':
        return normalizeImo(raw, context.imoHolder);
      case 'mmsi':
        return normalizeMmsi(raw);
      case 'vehicle':
        return normalizeVehicleRegistration(raw, context.country);
      case 'companyRegistration':
        return normalizeCompanyRegistration(raw, context.country);
      case 'date':
        return normalizeDate(raw);
      default: {
        const unknown: never = kind;
        return unknown;
      }
    }
  } catch {
    // Normalizers guard their inputs; this keeps a library surprise from failing an import.
    return null;
  }
}

/**
 * Kinds of exact feature an entity yields. Besides the identifier kinds:
 * - `documentNumber`: the number of a passport, identity document or registration without its
 *   issuer, emitted next to the qualified form so that records missing the issuing country on
 *   one side still meet. Weaker evidence; a scorer should not count it on top of a qualified
 *   match of the same document.
 * - `accountNumber`: a domestic account number qualified by its bank's BIC8 ("DEUTDEFF:532013000").
 * - `username`: an online handle, lower case, without "@" or profile URL.
 */
export type FeatureKind = IdentifierKind | 'documentNumber' | 'accountNumber' | 'username';

/** One normalized exact feature of an entity. */
export interface IdentifierFeature {
  kind: FeatureKind;
  value: string;
}

/**
 * Where an entity's identifiers are: the FollowTheMoney property, the kind it yields, and the
 * properties giving its issuing country (the first one holding a usable country wins). Rules apply
 * to the schema and its descendants except those listed. Checked against the installed FtM model
 * by the tests.
 */
export interface FeatureRule {
  schema: string;
  except?: readonly string[];
  property: string;
  kind: FeatureKind;
  issuer?: readonly string[];
}

const PERSON_ISSUER = ['nationality', 'citizenship', 'country'] as const;
const ORGANIZATION_ISSUER = ['jurisdiction', 'mainCountry', 'country'] as const;

export const FEATURE_RULES: readonly FeatureRule[] = [
  { schema: 'LegalEntity', property: 'email', kind: 'email' },
  { schema: 'LegalEntity', property: 'phone', kind: 'phone' },
  // A bank's own BIC identifies the bank; on a BankAccount it only names where the account is held.
  { schema: 'LegalEntity', property: 'swiftBic', kind: 'bic' },
  { schema: 'Person', property: 'passportNumber', kind: 'passport', issuer: PERSON_ISSUER },
  { schema: 'Person', property: 'idNumber', kind: 'idNumber', issuer: PERSON_ISSUER },
  { schema: 'Person', property: 'socialSecurityNumber', kind: 'idNumber', issuer: PERSON_ISSUER },
  { schema: 'Person', property: 'taxNumber', kind: 'idNumber', issuer: PERSON_ISSUER },
  { schema: 'Person', property: 'birthDate', kind: 'date' },
  {
    schema: 'LegalEntity',
    except: ['Person'],
    property: 'registrationNumber',
    kind: 'companyRegistration',
    issuer: ORGANIZATION_ISSUER,
  },
  {
    schema: 'LegalEntity',
    except: ['Person'],
    property: 'idNumber',
    kind: 'companyRegistration',
    issuer: ORGANIZATION_ISSUER,
  },
  {
    schema: 'LegalEntity',
    except: ['Person'],
    property: 'taxNumber',
    kind: 'companyRegistration',
    issuer: ORGANIZATION_ISSUER,
  },
  { schema: 'LegalEntity', except: ['Person'], property: 'incorporationDate', kind: 'date' },
  // The IMO company and registered-owner number of a shipping company.
  { schema: 'Organization', property: 'imoNumber', kind: 'imo' },
  { schema: 'Vessel', property: 'imoNumber', kind: 'imo' },
  { schema: 'Vessel', property: 'mmsi', kind: 'mmsi' },
  { schema: 'Vessel', property: 'registrationNumber', kind: 'vehicle', issuer: ['flag', 'country'] },
  {
    schema: 'Vehicle',
    except: ['Vessel', 'Airplane'],
    property: 'registrationNumber',
    kind: 'vehicle',
    issuer: ['country'],
  },
  { schema: 'Airplane', property: 'registrationNumber', kind: 'vehicle' },
  { schema: 'BankAccount', property: 'iban', kind: 'iban' },
  // An IBAN is often recorded as the account number; otherwise the number needs its bank's BIC.
  { schema: 'BankAccount', property: 'accountNumber', kind: 'accountNumber' },
  { schema: 'CryptoWallet', property: 'publicKey', kind: 'crypto' },
  {
    schema: 'Identification',
    except: ['Passport'],
    property: 'number',
    kind: 'idNumber',
    issuer: ['country'],
  },
  { schema: 'Passport', property: 'number', kind: 'passport', issuer: ['country'] },
  { schema: 'Passport', property: 'passportNumber', kind: 'passport', issuer: ['country'] },
  { schema: 'Passport', property: 'personalNumber', kind: 'idNumber', issuer: ['country'] },
  { schema: 'Passport', property: 'birthDate', kind: 'date' },
  { schema: 'UserAccount', property: 'email', kind: 'email' },
  { schema: 'UserAccount', property: 'phone', kind: 'phone' },
  { schema: 'UserAccount', property: 'username', kind: 'username' },
];

const model = new ftm.Model(ftm.defaultModel);

function schemaOf(name: string): ftm.Schema | null {
  return model.schemata[name] ?? null;
}

function applies(rule: FeatureRule, schema: ftm.Schema): boolean {
  return schema.isA(rule.schema) && !(rule.except ?? []).some((name) => schema.isA(name));
}

function valuesOf(properties: Record<string, string[]>, name: string): string[] {
  const values = properties[name];
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

function issuersOf(properties: Record<string, string[]>, names: readonly string[]): string[] {
  for (const name of names) {
    const codes = valuesOf(properties, name)
      .map(normalizeCountryCode)
      .filter((c): c is string => c !== null);
    if (codes.length > 0) return [...new Set(codes)];
  }
  return [];
}

/**
 * An online handle in lower case without a leading "@" or the profile URL around it
 * ("https://t.me/Ana_Berg" → "ana_berg"), or null when it is not one handle. The service is left
 * out: services are named inconsistently across records ("Telegram", "t.me", "TG") and people reuse
 * handles across them; a common handle is caught by the over-common value cap.
 */
export function normalizeUsername(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 300) return null;
  let text = raw.normalize('NFKC').trim();
  const url =
    /^(?:https?:\/\/)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\/+(?:#!\/)?@?([^/?#\s]+)\/?(?:[?#].*)?$/i.exec(
      text,
    );
  if (url?.[1]) text = url[1];
  text = text.replace(/^@+/, '').toLowerCase();
  if (!/^[\p{L}\p{N}._-]{2,64}$/u.test(text) || /^[._-]+$/.test(text)) return null;
  return text;
}

interface EntityContext {
  properties: Record<string, string[]>;
  schema: ftm.Schema;
  phoneCountry: string | undefined;
}

function ruleValues(rule: FeatureRule, value: string, ctx: EntityContext): IdentifierFeature[] {
  const { properties } = ctx;
  const issuers = rule.issuer ? issuersOf(properties, rule.issuer) : [];
  const one = (kind: FeatureKind, v: string | null): IdentifierFeature[] => (v ? [{ kind, value: v }] : []);
  switch (rule.kind) {
    case 'phone':
      return one('phone', normalizePhone(value, ctx.phoneCountry));
    case 'email':
      return one('email', normalizeEmail(value));
    case 'iban':
      return one('iban', normalizeIban(value));
    case 'bic':
      return one('bic', normalizeBic(value));
    case 'crypto': {
      const currency = [...valuesOf(properties, 'currencySymbol'), ...valuesOf(properties, 'currency')][0];
      return one('crypto', normalizeCryptoAddress(value, currency));
    }
    case 'imo':
      return one('imo', normalizeImo(value, ctx.schema.isA('Vessel') ? 'ship' : 'company'));
    case 'mmsi':
      return one('mmsi', normalizeMmsi(value));
    case 'date':
      return one('date', normalizeDate(value));
    case 'username':
      return one('username', normalizeUsername(value));
    case 'accountNumber': {
      const iban = normalizeIban(value);
      if (iban) return one('iban', iban);
      return valuesOf(properties, 'bic').flatMap((bic) =>
        one('accountNumber', normalizeAccountNumber(value, bic)),
      );
    }
    case 'vehicle':
      if (ctx.schema.isA('Airplane')) return one('vehicle', normalizeAircraftRegistration(value));
      return issuers.flatMap((country) => one('vehicle', normalizeVehicleRegistration(value, country)));
    case 'passport':
    case 'idNumber':
    case 'companyRegistration': {
      let kind: FeatureKind = rule.kind;
      // A generic Identification whose type says passport is one.
      if (kind === 'idNumber' && ctx.schema.name === 'Identification') {
        if (valuesOf(properties, 'type').some((t) => /passport|passeport|pasaporte/i.test(t)))
          kind = 'passport';
      }
      const normalize =
        kind === 'passport'
          ? normalizePassportNumber
          : kind === 'idNumber'
            ? normalizeIdNumber
            : normalizeCompanyRegistration;
      return [
        ...issuers.flatMap((country) => one(kind, normalize(value, country))),
        ...one('documentNumber', normalizeDocumentNumber(value)),
      ];
    }
    case 'documentNumber':
      return one('documentNumber', normalizeDocumentNumber(value));
    default: {
      const unknown: never = rule.kind;
      return unknown;
    }
  }
}

/**
 * The normalized exact features of a FollowTheMoney entity, deduplicated, in rule order; [] for
 * schemata without identifiers (Address: its matching is fuzzy, on blind encodings of its text) or
 * unknown to the model. Issuing countries come from the entity (a person's nationality, else
 * citizenship, else country; a company's jurisdiction, else main country, else country); a value
 * with several candidate issuers yields one feature per issuer. National phone numbers are read in
 * `ownerCountry`, else in the entity's own country.
 */
export function identifierFeatures(
  schema: string,
  properties: Record<string, string[]>,
  ownerCountry?: string,
): IdentifierFeature[] {
  const entitySchema = schemaOf(schema);
  if (!entitySchema || properties === null || typeof properties !== 'object') return [];
  const ctx: EntityContext = {
    properties,
    schema: entitySchema,
    phoneCountry: normalizeCountryCode(ownerCountry) ?? issuersOf(properties, ['country'])[0],
  };
  const seen = new Set<string>();
  const features: IdentifierFeature[] = [];
  for (const rule of FEATURE_RULES) {
    if (!applies(rule, entitySchema)) continue;
    for (const value of valuesOf(properties, rule.property)) {
      let found: IdentifierFeature[];
      try {
        found = ruleValues(rule, value, ctx);
      } catch {
        found = [];
      }
      for (const feature of found) {
        const key = `${feature.kind}\u0000${feature.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        features.push(feature);
      }
    }
  }
  return features;
}
