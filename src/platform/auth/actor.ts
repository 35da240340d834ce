import type { Role } from '../../domain/vocabulary.js';

/** What an API token may be used for. A session carries every scope its roles allow. */
export const TOKEN_SCOPES = [
  'records:read',
  'records:write',
  'agreements:read',
  'agreements:write',
  'organizations:read',
  'audit:read',
  'match:read',
  'match:check',
  'match:write',
  'admin',
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The authenticated party behind a request: a user of one organization, with roles. */
export interface Actor {
  userId: string;
  organizationId: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** How the request authenticated. */
  via: 'session' | 'token' | 'system';
  /** Token scopes; `null` for sessions and system actors (roles alone decide). */
  scopes: TokenScope[] | null;
  sessionId?: string;
  tokenId?: string;
}

/** True when the actor holds at least one of the roles. */
export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** True when the actor's credential carries the scope (sessions carry all scopes). */
export function hasScope(actor: Actor, scope: TokenScope): boolean {
  return actor.scopes === null || actor.scopes.includes(scope);
}
