import * as ftm from '@opensanctions/followthemoney';
import type { DataCategory } from '../../domain/vocabulary.js';
import type { FtmProperties } from '../../platform/db/schema.js';
import type { FieldError } from '../../platform/http/problem.js';

// The package's typings describe `defaultModel` as a Model, but it is the model's JSON datum.
const model = new ftm.Model(ftm.defaultModel as unknown as ftm.IModelDatum);

// Schema.getProperties() rebuilds its map on every call; imports validate millions of values.
const propertyCache = new Map<string, Map<string, ftm.Property>>();
function propertiesOf(schemaName: string): Map<string, ftm.Property> {
  let props = propertyCache.get(schemaName);
  if (!props) {
    props = model.getSchema(schemaName).getProperties();
    propertyCache.set(schemaName, props);
  }
  return props;
}

/**
 * The FollowTheMoney schemata a record may have, with the data category each belongs to
 * (DOMAIN.md "Data categories": what an agreement lets flow).
 */
export const RECORD_SCHEMATA: Record<string, DataCategory> = {
  Person: 'persons',
  Organization: 'organizations',
  Company: 'organizations',
  LegalEntity: 'organizations',
  PublicBody: 'organizations',
  Vessel: 'vehicles_vessels',
  Vehicle: 'vehicles_vessels',
  Airplane: 'vehicles_vessels',
  BankAccount: 'financial',
  CryptoWallet: 'financial',
  Payment: 'financial',
  Identification: 'documents',
  Passport: 'documents',
  Sanction: 'documents',
  Address: 'locations',
  UserAccount: 'communications',
  Note: 'modus_operandi',
  Event: 'modus_operandi',
  Ownership: 'organizations',
  Directorship: 'organizations',
  Membership: 'organizations',
  Employment: 'organizations',
  Representation: 'organizations',
  Family: 'persons',
  Associate: 'persons',
  UnknownLink: 'persons',
};

/** The data category of a schema; throws for schemata records may not have. */
export function dataCategoryFor(schema: string): DataCategory {
  const category = RECORD_SCHEMATA[schema];
  if (!category) throw new Error(`schema ${schema} is not allowed for records`);
  return category;
}

/** True when data-subject categories apply: records about people. */
export function isPersonSchema(schema: string): boolean {
  return schema === 'Person';
}

const MAX_VALUES_PER_PROPERTY = 50;
const DEFAULT_MAX_LENGTH = 4000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// FtM dates are ISO 8601 prefixes: a year, a year-month, a date, or a date and time.
const FTM_DATE = /^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Validates properties against the FollowTheMoney model: the schema is allowed, every property
 * exists on it and is not hidden, values are non-empty strings within the property's length, typed
 * values (dates, countries, e-mails, entity references) are well-formed, and required properties
 * are present. Returns field errors; an empty list means valid.
 */
export function validateProperties(schemaName: string, properties: FtmProperties): FieldError[] {
  const errors: FieldError[] = [];
  if (!RECORD_SCHEMATA[schemaName] || !model.schemata[schemaName]) {
    return [
      {
        field: 'schema',
        rule: 'enum',
        message: `must be one of: ${Object.keys(RECORD_SCHEMATA).join(', ')}`,
      },
    ];
  }
  const schema = model.getSchema(schemaName);
  for (const [name, values] of Object.entries(properties)) {
    const field = `properties.${name}`;
    const prop = propertiesOf(schemaName).get(name);
    if (!prop) {
      errors.push({ field, rule: 'ftm_property', message: `${schemaName} has no property "${name}"` });
      continue;
    }
    if (prop.hidden || prop.stub) {
      errors.push({ field, rule: 'ftm_property', message: `"${name}" cannot be set directly` });
      continue;
    }
    if (!Array.isArray(values)) {
      errors.push({ field, rule: 'type', message: 'must be a list of strings' });
      continue;
    }
    if (values.length > MAX_VALUES_PER_PROPERTY) {
      errors.push({ field, rule: 'maxItems', message: `at most ${MAX_VALUES_PER_PROPERTY} values` });
    }
    const maxLength = prop.maxLength > 0 ? prop.maxLength : DEFAULT_MAX_LENGTH;
    values.forEach((value, i) => {
      const at = `${field}.${i}`;
      if (typeof value !== 'string' || value.trim().length === 0) {
        errors.push({ field: at, rule: 'minLength', message: 'must be a non-empty string' });
        return;
      }
      if (value.length > maxLength) {
        errors.push({ field: at, rule: 'maxLength', message: `at most ${maxLength} characters` });
        return;
      }
      const type = prop.type.name;
      if (type === 'date' && !FTM_DATE.test(value)) {
        errors.push({
          field: at,
          rule: 'ftm_date',
          message: 'must be an ISO date or prefix (YYYY, YYYY-MM, YYYY-MM-DD)',
        });
      } else if (type === 'country' && !/^[a-z]{2}(-[a-z0-9]+)?$/i.test(value)) {
        errors.push({
          field: at,
          rule: 'ftm_country',
          message: 'must be an ISO 3166-1 alpha-2 country code',
        });
      } else if (type === 'email' && !EMAIL.test(value)) {
        errors.push({ field: at, rule: 'ftm_email', message: 'must be an e-mail address' });
      } else if (type === 'entity' && !UUID.test(value)) {
        errors.push({ field: at, rule: 'ftm_entity', message: 'must be the id of another record' });
      }
    });
  }
  for (const required of schema.required) {
    if (!properties[required] || properties[required].length === 0) {
      errors.push({
        field: `properties.${required}`,
        rule: 'required',
        message: `${schemaName} requires "${required}"`,
      });
    }
  }
  return errors;
}

/** Normalises property values: trims, drops empties and duplicates, lower-cases countries and record ids. */
export function normalizeProperties(schemaName: string, properties: FtmProperties): FtmProperties {
  const out: FtmProperties = {};
  for (const [name, values] of Object.entries(properties)) {
    const type = propertiesOf(schemaName).get(name)?.type.name ?? 'string';
    const cleaned = [
      ...new Set(
        values
          .map((v) => v.trim())
          .filter((v) => v.length > 0)
          .map((v) => (type === 'country' || type === 'entity' ? v.toLowerCase() : v)),
      ),
    ];
    if (cleaned.length > 0) out[name] = cleaned;
  }
  return out;
}

/** The display caption FollowTheMoney gives the entity (its name, number, …). */
export function captionFor(schemaName: string, properties: FtmProperties): string {
  // FollowTheMoney's rule (the first caption property with a value), without building an Entity,
  // whose lookups throw and catch for every absent property: imports caption every row.
  const schema = model.getSchema(schemaName);
  for (const name of schema.caption) {
    const value = properties[name]?.find((v) => v.trim().length > 0);
    if (value) return value;
  }
  return schema.label;
}

/** Lower-cased text of the caption and every non-reference value, for search. */
export function searchTextFor(schemaName: string, properties: FtmProperties): string {
  const parts: string[] = [captionFor(schemaName, properties)];
  for (const [name, values] of Object.entries(properties)) {
    if (propertiesOf(schemaName).get(name)?.type.name === 'entity') continue;
    parts.push(...values);
  }
  return parts.join(' ').toLowerCase().normalize('NFKC');
}

/** Schemata with their editable properties, for the API's /schemata and the record form. */
export function describeSchemata(): {
  name: string;
  label: string;
  plural: string;
  dataCategory: DataCategory;
  isEdge: boolean;
  required: string[];
  featured: string[];
  properties: { name: string; label: string; type: string }[];
}[] {
  return Object.entries(RECORD_SCHEMATA).map(([name, dataCategory]) => {
    const schema = model.getSchema(name);
    return {
      name,
      label: schema.label,
      plural: schema.plural,
      dataCategory,
      isEdge: schema.isEdge,
      required: [...schema.required],
      featured: [...schema.featured],
      properties: [...schema.getProperties().values()]
        .filter((p) => !p.hidden && !p.stub && !p.deprecated)
        .map((p) => ({ name: p.name, label: p.label, type: p.type.name })),
    };
  });
}

/** The entity-typed properties of a schema (references to other records), hidden and stub ones left out. */
export function entityPropertiesOf(schemaName: string): string[] {
  if (!model.schemata[schemaName]) return [];
  return [...model.getSchema(schemaName).getProperties().values()]
    .filter((p) => p.type.name === 'entity' && !p.hidden && !p.stub)
    .map((p) => p.name);
}

/** A link schema's ends and label, from FollowTheMoney's edge specification. */
export interface LinkSpec {
  source: string;
  target: string;
  label: string;
  directed: boolean;
}

/** The link schemata records may have, with their edge specification. */
export const LINK_SCHEMATA: Record<string, LinkSpec> = Object.fromEntries(
  Object.keys(RECORD_SCHEMATA).flatMap((name) => {
    const edge = model.getSchema(name).edge;
    if (!edge?.source || !edge.target) return [];
    return [
      [
        name,
        { source: edge.source, target: edge.target, label: edge.label ?? name, directed: !!edge.directed },
      ],
    ];
  }),
);

/** Every entity-typed property name that a link schema's ends use (what a links query looks for). */
export const LINK_END_PROPERTIES: string[] = [
  ...new Set(Object.values(LINK_SCHEMATA).flatMap((s) => [s.source, s.target])),
];
