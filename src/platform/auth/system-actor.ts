import type { Role } from '../../domain/vocabulary.js';
import type { Executor } from '../db/db.js';
import type { Actor } from './actor.js';

/**
 * The actor for work done on a user's behalf outside a request (command line, demo set-up): the
 * user's own roles, all scopes, `via: 'system'`. Null when no active user has that e-mail.
 */
export async function systemActorFor(db: Executor, email: string): Promise<Actor | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'organization_id', 'email', 'display_name', 'roles', 'disabled_at'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  if (!user || user.disabled_at) return null;
  return {
    userId: user.id,
    organizationId: user.organization_id,
    email: user.email,
    displayName: user.display_name,
    roles: user.roles as Role[],
    via: 'system',
    scopes: null,
  };
}
