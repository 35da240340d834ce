import type { Role } from '../../domain/vocabulary.js';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/db.js';

/** The facts about a reader that access decisions need: its organization, roles, and the bodies it belongs to. */
export interface Reader {
  userId: string;
  orgId: string;
  roles: Role[];
  /** Organizations the reader's organization is a member of (its regional or international bodies). */
  memberOf: string[];
}

/** Loads the reader's memberships once per request. */
export async function loadReader(db: Executor, actor: Actor): Promise<Reader> {
  const rows = await db
    .selectFrom('organization_memberships')
    .select('body_id')
    .where('member_id', '=', actor.organizationId)
    .execute();
  return {
    userId: actor.userId,
    orgId: actor.organizationId,
    roles: actor.roles,
    memberOf: rows.map((r) => r.body_id),
  };
}
