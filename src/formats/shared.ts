import { createHash } from 'node:crypto';
import {
  normalizeProperties,
  RECORD_SCHEMATA,
  validateProperties,
} from '../features/records/records.model.js';
import type { FtmProperties } from '../platform/db/schema.js';
import type { ImportedEntity, ParseEvent } from './types.js';

/**
 * Checks a mapped entity the way the records API would, except for entity references: formats hold
 * the *external* ids of other entities there (FtM ids, STIX ids, MISP uuids), which the importer
 * resolves to record ids later, so their UUID shape cannot be checked here. Returns the normalised
 * entity, or the reason it is rejected naming each property and rule.
 */
export function checkEntity(entity: ImportedEntity): { ok: ImportedEntity } | { reason: string } {
  if (!RECORD_SCHEMATA[entity.schema]) {
    return { reason: `schema "${entity.schema}" is not allowed (schema: enum)` };
  }
  const properties = normalizeProperties(entity.schema, entity.properties);
  const errors = validateProperties(entity.schema, properties).filter((e) => e.rule !== 'ftm_entity');
  if (errors.length > 0) {
    return { reason: errors.map((e) => `${e.field}: ${e.rule} (${e.message})`).join('; ') };
  }
  return { ok: { ...entity, properties } };
}

/** Turns a mapped entity into the event a parser yields: `entity` when valid, `rejected` otherwise. */
export function entityEvent(index: number, entity: ImportedEntity): ParseEvent {
  const checked = checkEntity(entity);
  return 'ok' in checked
    ? { type: 'entity', index, entity: checked.ok }
    : { type: 'rejected', index, reason: checked.reason };
}

/** Builds FtM properties from optional values, dropping empty ones (so required checks can fire). */
export function props(values: Record<string, unknown>): FtmProperties {
  const out: FtmProperties = {};
  for (const [name, value] of Object.entries(values)) {
    const list = (Array.isArray(value) ? value : [value])
      .filter((v) => typeof v === 'string' || typeof v === 'number')
      .map((v) => String(v).trim())
      .filter((v) => v.length > 0);
    if (list.length > 0) out[name] = list;
  }
  return out;
}

/** Narrows an unknown JSON value to a plain object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of a JSON object, or undefined. */
export function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.trim().length > 0 ? v.trim() : undefined;
}

/** A list of strings from a JSON field that may hold one string or a list. */
export function strList(o: Record<string, unknown>, key: string): string[] {
  const v = o[key];
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string' && x.trim().length > 0);
}

/**
 * RFC 4122 version-5 UUID of `name` in `namespace`: the same record always gets the same STIX id,
 * so a peer that re-imports an export updates instead of duplicating.
 */
export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Normalises a timestamp to the millisecond-precision UTC form STIX and MISP expect. */
export function isoTimestamp(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '1970-01-01T00:00:00.000Z' : date.toISOString();
}
