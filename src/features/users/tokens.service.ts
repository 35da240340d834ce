import type { AppContext } from '../../context.js';
import type { TokenScope } from '../../platform/auth/actor.js';

/** Placeholder (written by the auth work). */
export async function createApiToken(
  _ctx: AppContext,
  _input: { userEmail: string; name: string; scopes: TokenScope[]; expiresInDays: number },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  throw new Error('not implemented');
}
