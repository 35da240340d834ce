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

/** The part of a record a version keeps: everything a reader sees, nothing derived. */
export function snapshotOf(row: RecordRow): Record<string, unknown> {
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
