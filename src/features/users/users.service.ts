import type { AppContext } from '../../context.js';
import type { Role } from '../../domain/vocabulary.js';

/** Placeholder (written by the auth work). */
export async function createUser(
  _ctx: AppContext,
  _input: { organization: string; email: string; displayName: string; password: string; roles: Role[] },
): Promise<{ id: string; email: string }> {
  throw new Error('not implemented');
}
