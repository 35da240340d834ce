import * as ftm from '@opensanctions/followthemoney';
import type { TlpLabel } from '../domain/vocabulary.js';
import { RECORD_SCHEMATA } from '../features/records/records.model.js';
import type { FtmProperties } from '../platform/db/schema.js';
import { streamJson } from './json-stream.js';
import { entityEvent, isObject, isoTimestamp, props, str, strList, uuidv5 } from './shared.js';
import { asTlpLabel, mostRestrictive, TLP2_EXTENSION_ID, TLP2_MARKING_IDS, tlpFromMarkingId } from './tlp.js';
import type { ExportableRecord, ImportedEntity, ParseEvent, ParserInput } from './types.js';

const model = new ftm.Model(ftm.defaultModel as unknown as ftm.IModelDatum);

/** A STIX object as JSON. */
export type StixObject = Record<string, unknown>;
/** A STIX 2.1 bundle. */
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

// Namespace of Entente's deterministic STIX ids (uuidv5 of the record id).
const STIX_NAMESPACE = '6a0b7e43-3c47-4d8e-9b0c-5f7f6a1d2e90';
/** Custom SCO types Entente exports (STIX 2.1 defines no bank account or wallet observable). */
export const ENTENTE_SCO_TYPES = {
  bankAccount: 'x-entente-bank-account',
  cryptoWallet: 'x-entente-crypto-wallet',
  record: 'x-entente-record',
} as const;
const ENTENTE_EXTENSION_ID = `extension-definition--${uuidv5('entente-observables-1', STIX_NAMESPACE)}`;
const ENTENTE_PLATFORM_IDENTITY = `identity--${uuidv5('entente-platform', STIX_NAMESPACE)}`;
const FIXED_CREATED = '2024-01-01T00:00:00.000Z';

// Link schemata exported as relationships: the relationship type is the schema in kebab case, so a
// peer running Entente maps it back to the same schema; others read a custom relationship type.
const LINK_SCHEMATA = [
  'Ownership',
  'Directorship',
  'Membership',
  'Employment',
  'Representation',
  'Family',
  'Associate',
  'UnknownLink',
  'Payment',
] as const;
const kebab = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
const LINK_BY_RELATIONSHIP: Record<string, string> = Object.fromEntries(
  LINK_SCHEMATA.filter((s) => s !== 'UnknownLink').map((s) => [kebab(s), s]),
);

function edgeOf(schema: string): { source: string; target: string } {
  const edge = model.getSchema(schema).edge;
  if (!edge) throw new Error(`${schema} is not an edge schema`);
  return { source: edge.source, target: edge.target };
}

const isBankAccountType = (t: string) => /(^|-)bank-account$/.test(t);
const isWalletType = (t: string) => /(^|-)(cryptocurrency-wallet|crypto-wallet)$/.test(t);
const isPhoneType = (t: string) => /(^|-)phone-number$/.test(t);

/** True for STIX types this parser turns into entities, so a relationship between them is kept. */
function isMappedType(type: string): boolean {
  return (
    ['identity', 'threat-actor', 'location', 'email-addr', 'user-account', ENTENTE_SCO_TYPES.record].includes(
      type,
    ) ||
    isBankAccountType(type) ||
    isWalletType(type) ||
    isPhoneType(type)
  );
}

const EMAIL_IN_TEXT = /[^\s@;,<>()]+@[^\s@;,<>()]+\.[a-z]{2,}/gi;
const PHONE_IN_TEXT = /\+?\d[\d\s().-]{5,}\d/g;

/** Emails and phone numbers found in free text, e.g. an identity's contact_information. */
function contactDetails(text: string | undefined): { email: string[]; phone: string[] } {
  if (!text) return { email: [], phone: [] };
  const email = text.match(EMAIL_IN_TEXT) ?? [];
  const withoutEmails = text.replace(EMAIL_IN_TEXT, ' ');
  const phone = (withoutEmails.match(PHONE_IN_TEXT) ?? []).map((p) => p.replace(/[\s().-]/g, ''));
  return { email, phone };
}

function tlpOf(obj: StixObject): TlpLabel | undefined {
  return mostRestrictive(strList(obj, 'object_marking_refs').map(tlpFromMarkingId));
}

function typeOfRef(ref: string): string {
  return ref.split('--')[0] ?? '';
}

/** Maps one STIX object to an event; `index` is its 1-based position in the bundle. */
function mapStixObject(value: unknown, index: number): ParseEvent {
  if (!isObject(value) || typeof value.type !== 'string') {
    return { type: 'rejected', index, reason: 'not a STIX object (no type)' };
  }
  const obj = value;
  const type = value.type as string;
  const id = str(obj, 'id');
  if (!id) return { type: 'rejected', index, reason: `${type}: id is missing` };
  const tlp = tlpOf(obj);
  const entity = (schema: string, properties: FtmProperties): ParseEvent => {
    const e: ImportedEntity = { externalId: id, schema, properties };
    if (tlp) e.tlp = tlp;
    return entityEvent(index, e);
  };
  // An Entente export carries the full FtM properties; prefer them to the lossy STIX mapping.
  const ftmSchema = str(obj, 'x_ftm_schema');
  if (ftmSchema && RECORD_SCHEMATA[ftmSchema] && isObject(obj.x_ftm_properties)) {
    return entity(ftmSchema, obj.x_ftm_properties as FtmProperties);
  }
  if (type === 'identity' && obj.x_entente_producer === true) {
    return { type: 'skipped', index, objectType: type, reason: 'the producing organization, not data' };
  }
  if (type === 'email-addr' && obj.x_entente_derived === true) {
    return {
      type: 'skipped',
      index,
      objectType: type,
      reason: 'already part of the user account it belongs to',
    };
  }
  switch (type) {
    case 'identity': {
      const name = str(obj, 'name');
      if (!name) return { type: 'rejected', index, reason: 'identity: name is missing' };
      const cls = str(obj, 'identity_class');
      const schema =
        cls === 'individual'
          ? 'Person'
          : cls === 'organization' || cls === 'group'
            ? 'Organization'
            : 'LegalEntity';
      const contact = str(obj, 'contact_information');
      const found = contactDetails(contact);
      const parsed = found.email.length + found.phone.length > 0;
      return entity(
        schema,
        props({
          name,
          notes: [str(obj, 'description'), parsed ? undefined : contact],
          email: found.email,
          phone: found.phone,
        }),
      );
    }
    case 'threat-actor': {
      const name = str(obj, 'name');
      if (!name) return { type: 'rejected', index, reason: 'threat-actor: name is missing' };
      const kinds = strList(obj, 'threat_actor_types');
      const level = str(obj, 'resource_level');
      const group =
        kinds.includes('crime-syndicate') ||
        kinds.includes('nation-state') ||
        ['club', 'contest', 'team', 'organization', 'government'].includes(level ?? '');
      return entity(
        group ? 'Organization' : 'Person',
        props({ name, alias: strList(obj, 'aliases'), notes: str(obj, 'description') }),
      );
    }
    case 'location': {
      const parts = {
        street: str(obj, 'street_address'),
        city: str(obj, 'city'),
        postalCode: str(obj, 'postal_code'),
        region: str(obj, 'region') ?? str(obj, 'administrative_area'),
        country: str(obj, 'country')?.toLowerCase(),
      };
      const full = [parts.street, parts.city, parts.postalCode, parts.region, parts.country?.toUpperCase()]
        .filter(Boolean)
        .join(', ');
      const lat = obj.latitude;
      const lon = obj.longitude;
      if (!full && typeof lat !== 'number') {
        return { type: 'rejected', index, reason: 'location: no address or coordinates' };
      }
      return entity(
        'Address',
        props({
          ...parts,
          full: full || undefined,
          name: str(obj, 'name'),
          latitude: typeof lat === 'number' ? lat : undefined,
          longitude: typeof lon === 'number' ? lon : undefined,
          notes: str(obj, 'description'),
        }),
      );
    }
    case 'relationship': {
      const source = str(obj, 'source_ref');
      const target = str(obj, 'target_ref');
      const kind = str(obj, 'relationship_type');
      if (!source || !target || !kind) {
        return {
          type: 'rejected',
          index,
          reason: 'relationship: source_ref, target_ref or relationship_type missing',
        };
      }
      if (!isMappedType(typeOfRef(source)) || !isMappedType(typeOfRef(target))) {
        return {
          type: 'skipped',
          index,
          objectType: type,
          reason: `links ${typeOfRef(source)} to ${typeOfRef(target)}, which are not imported`,
        };
      }
      const schema = LINK_BY_RELATIONSHIP[kind];
      if (schema) {
        const edge = edgeOf(schema);
        return entity(
          schema,
          props({ [edge.source]: source, [edge.target]: target, description: str(obj, 'description') }),
        );
      }
      return entity(
        'UnknownLink',
        props({ subject: source, object: target, role: kind, description: str(obj, 'description') }),
      );
    }
    case 'email-addr': {
      const address = str(obj, 'value');
      if (!address) return { type: 'rejected', index, reason: 'email-addr: value is missing' };
      return entity(
        'UserAccount',
        props({ username: address, email: address, name: str(obj, 'display_name') }),
      );
    }
    case 'user-account': {
      const username = str(obj, 'account_login') ?? str(obj, 'user_id') ?? str(obj, 'display_name');
      if (!username)
        return { type: 'rejected', index, reason: 'user-account: no account_login, user_id or display_name' };
      const email = [username, str(obj, 'x_email')].filter((v): v is string => !!v && /@/.test(v));
      return entity(
        'UserAccount',
        props({ username, service: str(obj, 'account_type'), name: str(obj, 'display_name'), email }),
      );
    }
    default:
      break;
  }
  if (isPhoneType(type)) {
    // FtM has no phone entity; a number whose holder is unknown becomes a legal entity named by it.
    const number = str(obj, 'number') ?? str(obj, 'value') ?? str(obj, 'phone_number');
    if (!number) return { type: 'rejected', index, reason: `${type}: number is missing` };
    return entity('LegalEntity', props({ name: number, phone: number }));
  }
  if (isBankAccountType(type)) {
    const p = props({
      iban: str(obj, 'iban'),
      accountNumber: str(obj, 'account_number') ?? str(obj, 'account'),
      bic: str(obj, 'swift') ?? str(obj, 'bic'),
      bankName: str(obj, 'bank_name') ?? str(obj, 'institution_name'),
      currency: str(obj, 'currency'),
      name: str(obj, 'name'),
    });
    if (!p.iban && !p.accountNumber)
      return { type: 'rejected', index, reason: `${type}: no iban or account_number` };
    return entity('BankAccount', p);
  }
  if (isWalletType(type)) {
    const address = str(obj, 'address') ?? str(obj, 'value') ?? str(obj, 'public_key');
    if (!address) return { type: 'rejected', index, reason: `${type}: address is missing` };
    return entity('CryptoWallet', props({ publicKey: address, currency: str(obj, 'currency') }));
  }
  if (type === ENTENTE_SCO_TYPES.record) {
    return { type: 'rejected', index, reason: `${type}: x_ftm_schema is not a record schema` };
  }
  return { type: 'skipped', index, objectType: type, reason: 'no FollowTheMoney equivalent' };
}

/**
 * Parses a STIX 2.x bundle (or a single bare STIX object) as a stream: objects are read one at a
 * time and each yields exactly one event with its 1-based position: an entity (identity,
 * threat-actor, location, relationship between imported objects, email-addr, user-account, phone,
 * bank-account and wallet objects), `skipped` for any other type, or `rejected` when it cannot be
 * mapped. TLP markings (TLP 1.0 and 2.0 ids) become `tlp`. Malformed JSON ends the parse with a
 * `rejected` event rather than an exception.
 */
export async function* parseStix(input: ParserInput): AsyncGenerator<ParseEvent> {
  let index = 0;
  try {
    for await (const item of streamJson(input, ['objects'])) {
      if (item.kind === 'element') {
        index += 1;
        yield mapStixObject(item.value, index);
      } else if (item.kind === 'rest') {
        const rest = item.value;
        if (isObject(rest) && rest.type !== 'bundle' && typeof rest.type === 'string') {
          // A bare object instead of a bundle (as in the OASIS interop examples).
          index += 1;
          yield mapStixObject(rest, index);
        } else if (!isObject(rest) || rest.type !== 'bundle') {
          yield { type: 'rejected', index: index + 1, reason: 'not a STIX bundle or object' };
        }
      }
    }
  } catch (error) {
    yield { type: 'rejected', index: index + 1, reason: `invalid JSON: ${(error as Error).message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Export

/** The STIX type a record of this schema is exported as (so relationships can reference it). */
function stixTypeFor(schema: string): string | null {
  switch (schema) {
    case 'Person':
    case 'Organization':
    case 'Company':
    case 'LegalEntity':
    case 'PublicBody':
      return 'identity';
    case 'Address':
      return 'location';
    case 'UserAccount':
      return 'user-account';
    case 'BankAccount':
      return ENTENTE_SCO_TYPES.bankAccount;
    case 'CryptoWallet':
      return ENTENTE_SCO_TYPES.cryptoWallet;
    default:
      return (LINK_SCHEMATA as readonly string[]).includes(schema)
        ? 'relationship'
        : ENTENTE_SCO_TYPES.record;
  }
}

function stixIdFor(record: { id: string; schema: string }): string {
  return `${stixTypeFor(record.schema)}--${uuidv5(record.id, STIX_NAMESPACE)}`;
}

function tlpMarkingDefinition(label: TlpLabel): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[label],
    created: '2022-10-01T00:00:00.000Z',
    name: label,
    extensions: {
      [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: label.slice(4).toLowerCase() },
    },
  };
}

function first(p: FtmProperties, name: string): string | undefined {
  return p[name]?.[0];
}

const joinText = (...parts: (string[] | undefined)[]) => {
  const text = parts.flatMap((p) => p ?? []).join('\n\n');
  return text.length > 0 ? text : undefined;
};

function clean(o: StixObject): StixObject {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
}

/**
 * Serialises records as one STIX 2.1 bundle: an identity per owning organization (`created_by_ref`),
 * parties as identities, addresses as locations, user accounts (and their e-mails) as observables,
 * bank accounts and wallets as custom `x-entente-*` observables declared by an extension definition,
 * links as relationships, and any other schema as an `x-entente-record`. Every object carries the
 * TLP 2.0 marking of its record (the marking definitions are included) and its full FtM properties
 * in `x_ftm_schema` / `x_ftm_properties`, so another Entente imports it losslessly. Ids are uuidv5
 * of the record id: the same record always exports under the same id. Links whose ends are not in
 * the export are left out (a relationship must reference objects of a known type).
 */
export function toStixBundle(records: readonly ExportableRecord[]): StixBundle {
  const byId = new Map(records.map((r) => [r.id, r]));
  const objects: StixObject[] = [];
  const owners = new Map<string, { name: string; created: string }>();
  const labels = new Set<TlpLabel>();
  let customUsed = false;

  for (const r of records) {
    const label = asTlpLabel(r.handling.tlp);
    labels.add(label);
    const created = isoTimestamp(r.createdAt);
    const owner = owners.get(r.owner.id);
    if (!owner || owner.created > created) owners.set(r.owner.id, { name: r.owner.name, created });
    const p = r.properties;
    const sdo = {
      spec_version: '2.1',
      id: stixIdFor(r),
      created,
      modified: isoTimestamp(r.updatedAt),
      created_by_ref: `identity--${uuidv5(r.owner.id, STIX_NAMESPACE)}`,
      object_marking_refs: [TLP2_MARKING_IDS[label]],
      x_ftm_schema: r.schema,
      x_ftm_properties: p,
    };
    const sco = {
      spec_version: '2.1',
      id: stixIdFor(r),
      object_marking_refs: [TLP2_MARKING_IDS[label]],
      x_ftm_schema: r.schema,
      x_ftm_properties: p,
    };
    const type = stixTypeFor(r.schema);
    switch (type) {
      case 'identity': {
        const contact = [
          ...(p.email ?? []).map((e) => `email: ${e}`),
          ...(p.phone ?? []).map((t) => `phone: ${t}`),
        ].join('; ');
        objects.push(
          clean({
            type,
            ...sdo,
            name: r.caption,
            identity_class: r.schema === 'Person' ? 'individual' : 'organization',
            description: joinText(p.description, p.notes),
            contact_information: contact || undefined,
          }),
        );
        break;
      }
      case 'location': {
        const country = first(p, 'country');
        objects.push(
          clean({
            type,
            ...sdo,
            name: first(p, 'name'),
            street_address: first(p, 'street') ?? first(p, 'full'),
            city: first(p, 'city'),
            postal_code: first(p, 'postalCode'),
            region: first(p, 'region'),
            // STIX requires region, country or coordinates; an address of unknown country keeps its caption.
            country: country ? country.toUpperCase() : first(p, 'region') ? undefined : 'ZZ',
          }),
        );
        break;
      }
      case 'user-account':
        objects.push(
          clean({
            type,
            ...sco,
            account_login: first(p, 'username'),
            account_type: first(p, 'service')
              ?.toLowerCase()
              .replace(/[^a-z0-9-]+/g, '-'),
            display_name: first(p, 'name'),
          }),
        );
        for (const email of p.email ?? []) {
          objects.push({
            type: 'email-addr',
            spec_version: '2.1',
            id: `email-addr--${uuidv5(`${r.id}:${email}`, STIX_NAMESPACE)}`,
            value: email,
            belongs_to_ref: stixIdFor(r),
            object_marking_refs: [TLP2_MARKING_IDS[label]],
            x_entente_derived: true,
          });
        }
        break;
      case ENTENTE_SCO_TYPES.bankAccount:
        customUsed = true;
        objects.push(
          clean({
            type,
            ...sco,
            iban: first(p, 'iban'),
            account_number: first(p, 'accountNumber'),
            swift: first(p, 'bic'),
            bank_name: first(p, 'bankName'),
            currency: first(p, 'currency'),
            extensions: { [ENTENTE_EXTENSION_ID]: { extension_type: 'new-sco' } },
          }),
        );
        break;
      case ENTENTE_SCO_TYPES.cryptoWallet:
        customUsed = true;
        objects.push(
          clean({
            type,
            ...sco,
            address: first(p, 'publicKey'),
            currency: first(p, 'currency') ?? first(p, 'currencySymbol'),
            extensions: { [ENTENTE_EXTENSION_ID]: { extension_type: 'new-sco' } },
          }),
        );
        break;
      case 'relationship': {
        const edge = edgeOf(r.schema);
        const source = byId.get(first(p, edge.source) ?? '');
        const target = byId.get(first(p, edge.target) ?? '');
        if (!source || !target) break;
        const role = first(p, 'role');
        const kind =
          r.schema === 'UnknownLink'
            ? role && /^[a-z0-9-]+$/.test(role) && !LINK_BY_RELATIONSHIP[role]
              ? role
              : 'related-to'
            : kebab(r.schema);
        objects.push(
          clean({
            type,
            ...sdo,
            relationship_type: kind,
            source_ref: stixIdFor(source),
            target_ref: stixIdFor(target),
            description: joinText(p.description, role && kind !== role ? [role] : undefined),
          }),
        );
        break;
      }
      default:
        customUsed = true;
        // An observable rather than an SDO: the OASIS bundle schema accepts a custom object only when
        // it matches exactly one of the SDO and SCO cores, and every custom SDO also matches the SCO one.
        objects.push(
          clean({
            type: ENTENTE_SCO_TYPES.record,
            ...sco,
            name: r.caption,
            extensions: { [ENTENTE_EXTENSION_ID]: { extension_type: 'new-sco' } },
          }),
        );
    }
  }

  const head: StixObject[] = [];
  for (const [id, owner] of owners) {
    head.push({
      type: 'identity',
      spec_version: '2.1',
      id: `identity--${uuidv5(id, STIX_NAMESPACE)}`,
      created: owner.created,
      modified: owner.created,
      name: owner.name,
      identity_class: 'organization',
      x_entente_producer: true,
    });
  }
  if (customUsed) {
    head.push(
      {
        type: 'identity',
        spec_version: '2.1',
        id: ENTENTE_PLATFORM_IDENTITY,
        created: FIXED_CREATED,
        modified: FIXED_CREATED,
        name: 'Entente',
        identity_class: 'system',
        x_entente_producer: true,
      },
      {
        type: 'extension-definition',
        spec_version: '2.1',
        id: ENTENTE_EXTENSION_ID,
        created: FIXED_CREATED,
        modified: FIXED_CREATED,
        created_by_ref: ENTENTE_PLATFORM_IDENTITY,
        name: 'Entente records',
        description:
          'Bank accounts, crypto wallets and other FollowTheMoney records exported by Entente; x_ftm_properties holds the record.',
        schema: 'https://followthemoney.tech/explorer/',
        version: '1.0.0',
        extension_types: ['new-sco'],
      },
    );
  }
  const markings = [...labels].sort().map(tlpMarkingDefinition);
  const all = [...markings, ...head, ...objects];
  return {
    type: 'bundle',
    id: `bundle--${uuidv5(records.map((r) => r.id).join(','), STIX_NAMESPACE)}`,
    objects: all,
  };
}
