import type { Executor } from '../../platform/db/db.js';
import type { RecordRow } from '../../platform/db/schema.js';

/** What made a version. */
export type VersionAction =
  | 'created'
  | 'updated'
  | 'retracted'
  | 'extended'
  | 'reviewed'
  | 'expired'
  | 'purged';

/** The columns a version's snapshot is made of. */
export type SnapshotSource = Pick<
  RecordRow,
  | 'schema'
  | 'caption'
  | 'properties'
  | 'tlp'
  | 'handling_codes'
  | 'handling_h3_text'
  | 'evaluation_scheme'
  | 'evaluation_source'
  | 'evaluation_information'
  | 'crime_areas'
  | 'purposes'
  | 'data_category'
  | 'subject_category'
  | 'status'
  | 'retracted_reason'
  | 'review_at'
  | 'expires_at'
  | 'external_id'
>;

/** The part of a record a version keeps: everything a reader sees, nothing derived. */
export function snapshotOf(row: SnapshotSource): Record<string, unknown> {
  return {
    schema: row.schema,
    caption: row.caption,
    properties: row.properties,
    handling: { tlp: row.tlp, codes: row.handling_codes, h3Text: row.handling_h3_text },
    evaluation: {
      scheme: row.evaluation_scheme,
      source: row.evaluation_source,
      information: row.evaluation_information,
    },
    crimeAreas: row.crime_areas,
    purposes: row.purposes,
    dataCategory: row.data_category,
    subjectCategory: row.subject_category,
    status: row.status,
    retractedReason: row.retracted_reason,
    reviewAt: row.review_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    externalId: row.external_id,
  };
}

/**
 * Writes the version a change produced, in the caller's transaction. Call it after the row is
 * written, with the row as it now stands (its `version` is the version number).
 */
export async function writeVersion(
  trx: Executor,
  row: RecordRow,
  at: Date,
  action: VersionAction,
  actor: { userId: string | null; orgId: string | null },
): Promise<void> {
  await trx
    .insertInto('record_versions')
    .values({
      record_id: row.id,
      version: row.version,
      at,
      action,
      actor_user_id: actor.userId,
      actor_org_id: actor.orgId,
      snapshot: JSON.stringify(snapshotOf(row)),
    })
    .execute();
}

/** One changed field between two versions; `before`/`after` are null when absent on that side. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Field paths of a snapshot: objects are walked (`handling.tlp`, `properties.name`), arrays are values. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
    return;
  }
  if (prefix) out.set(prefix, value ?? null);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields that differ between two snapshots, sorted by field path. An empty snapshot (a purged
 * record's erased versions) yields no changes: nothing of the erased content is reconstructed.
 */
export function diffSnapshots(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): FieldChange[] {
  if (Object.keys(after).length === 0) return [];
  if (before !== null && Object.keys(before).length === 0) return [];
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before ?? {}, '', a);
  flatten(after, '', b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const x = a.has(field) ? a.get(field) : null;
    const y = b.has(field) ? b.get(field) : null;
    if (!sameValue(x, y)) changes.push({ field, before: x ?? null, after: y ?? null });
  }
  return changes;
}

export interface VersionRow {
  version: number;
  at: Date;
  action: string;
  actor_user_id: string | null;
  actor_org_id: string | null;
  snapshot: Record<string, unknown>;
}

/** A record's versions, oldest first. */
export function loadVersions(db: Executor, recordId: string): Promise<VersionRow[]> {
  return db
    .selectFrom('record_versions')
    .select(['version', 'at', 'action', 'actor_user_id', 'actor_org_id', 'snapshot'])
    .where('record_id', '=', recordId)
    .orderBy('version', 'asc')
    .execute();
}

/**
 * Versions newest first, each with its changes against the version before it. Version 1 lists the
 * fields it was created with; a version whose predecessor is missing (a record written before
 * history was kept) shows no changes rather than a made-up diff. `hide` drops fields the reader
 * must not see (e.g. the owner's external id).
 */
export function withChanges(
  versions: VersionRow[],
  hide: (field: string) => boolean = () => false,
): (VersionRow & { changes: FieldChange[] })[] {
  const out: (VersionRow & { changes: FieldChange[] })[] = [];
  let previous: VersionRow | undefined;
  for (const v of versions) {
    let changes: FieldChange[] = [];
    if (v.version === 1) changes = diffSnapshots(null, v.snapshot);
    else if (previous && previous.version === v.version - 1)
      changes = diffSnapshots(previous.snapshot, v.snapshot);
    out.push({ ...v, changes: changes.filter((c) => !hide(c.field)) });
    previous = v;
  }
  return out.reverse();
}
