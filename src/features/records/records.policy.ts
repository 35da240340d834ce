import { DATA_WRITER_ROLES } from '../../domain/vocabulary.js';
import type { Actor } from '../../platform/auth/actor.js';
import { hasRole } from '../../platform/auth/actor.js';

export type RecordAction = 'update' | 'retract' | 'extend' | 'review';

/**
 * What the actor may do to a record it can already read. Only the owning organization edits,
 * retracts, extends or reviews, and only with a role that writes data; a retracted or expired
 * record is read-only.
 */
export function recordPermissions(
  actor: Actor,
  record: { owner_org_id: string; status: string },
): RecordAction[] {
  if (record.owner_org_id !== actor.organizationId) return [];
  if (!hasRole(actor, ...DATA_WRITER_ROLES)) return [];
  if (record.status !== 'active') return [];
  return ['update', 'retract', 'extend', 'review'];
}

/** True when the actor may create records for its own organization. */
export function mayCreateRecords(actor: Actor): boolean {
  return hasRole(actor, ...DATA_WRITER_ROLES);
}
