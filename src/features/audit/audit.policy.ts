import type { Actor } from '../../platform/auth/actor.js';
import { hasRole } from '../../platform/auth/actor.js';

/** Which audit entries an actor may read. */
export type AuditScope = { kind: 'all' } | { kind: 'organization'; organizationId: string };

/**
 * The part of the audit log an actor may read, or null when it may read none of it. Reading the
 * audit log is a role, not a data read: an `auditor` sees the entries where its organization acted
 * or owned the object; only an auditor who is also `platform_admin` sees every entry.
 */
export function auditScope(actor: Actor): AuditScope | null {
  if (!hasRole(actor, 'auditor')) return null;
  if (hasRole(actor, 'platform_admin')) return { kind: 'all' };
  return { kind: 'organization', organizationId: actor.organizationId };
}
