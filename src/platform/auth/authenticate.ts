import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Role } from '../../domain/vocabulary.js';
import { forbidden, unauthenticated } from '../http/problem.js';
import type { Actor, TokenScope } from './actor.js';
import { hashSecret, safeEqual } from './secrets.js';

export const SESSION_COOKIE = 'entente_session';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `true` on routes that must not look at credentials at all (sign-in): a stale or other
     * user's cookie then neither blocks the request with a CSRF failure nor identifies it.
     */
    ignoreCredentials?: boolean;
  }
}

/** A session that still has to pass MFA (verify a code, or enrol when the organization requires it). */
export interface PendingMfa {
  kind: 'mfa_verify' | 'mfa_enroll';
  userId: string;
  sessionId: string;
}

export interface AuthResult {
  actor: Actor | null;
  pendingMfa: PendingMfa | null;
}

/**
 * Resolves the request's credentials: `Authorization: Bearer ent_…` API tokens, or the session
 * cookie. Cookie-authenticated unsafe requests must carry the session's CSRF token in
 * `x-csrf-token` (tokens in headers are not sent by browsers on their own, so they need none).
 * Invalid credentials answer 401 rather than falling back to anonymous.
 */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<AuthResult> {
  if (request.routeOptions.config?.ignoreCredentials) return { actor: null, pendingMfa: null };
  const now = ctx.clock.now();
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    const row = await ctx.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select([
        't.id as token_id',
        't.scopes',
        't.expires_at',
        't.revoked_at',
        'u.id as user_id',
        'u.organization_id',
        'u.email',
        'u.display_name',
        'u.roles',
        'u.disabled_at',
      ])
      .where('t.token_hash', '=', hashSecret(match[1]))
      .executeTakeFirst();
    if (!row || row.revoked_at || row.disabled_at || row.expires_at <= now) {
      throw unauthenticated('The API token is invalid, expired or revoked.');
    }
    // Throttled so a busy integration does not write on every request.
    await ctx.db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', row.token_id)
      .where((eb) =>
        eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - 60_000))]),
      )
      .execute();
    return {
      actor: {
        userId: row.user_id,
        organizationId: row.organization_id,
        email: row.email,
        displayName: row.display_name,
        roles: row.roles as Role[],
        via: 'token',
        scopes: row.scopes as TokenScope[],
        tokenId: row.token_id,
      },
      pendingMfa: null,
    };
  }

  const cookie = request.cookies?.[SESSION_COOKIE];
  if (!cookie) return { actor: null, pendingMfa: null };
  const row = await ctx.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organizations as o', 'o.id', 'u.organization_id')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.mfa_verified',
      's.expires_at',
      's.last_seen_at',
      's.revoked_at',
      'u.id as user_id',
      'u.organization_id',
      'u.email',
      'u.display_name',
      'u.roles',
      'u.disabled_at',
      'u.mfa_enabled',
      'o.mfa_required',
    ])
    .where('s.token_hash', '=', hashSecret(cookie))
    .executeTakeFirst();
  const idleLimit = new Date(now.getTime() - ctx.config.sessionIdleMinutes * 60_000);
  if (!row || row.revoked_at || row.disabled_at || row.expires_at <= now || row.last_seen_at <= idleLimit) {
    // A stale cookie is treated as anonymous so the sign-in page still loads.
    return { actor: null, pendingMfa: null };
  }
  if (UNSAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, row.csrf_token)) {
      throw forbidden('Missing or wrong CSRF token (x-csrf-token header).', 'csrf_failed');
    }
  }
  if (row.last_seen_at < new Date(now.getTime() - 60_000)) {
    await ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id', '=', row.session_id)
      .execute();
  }
  if (row.mfa_enabled && !row.mfa_verified) {
    return {
      actor: null,
      pendingMfa: { kind: 'mfa_verify', userId: row.user_id, sessionId: row.session_id },
    };
  }
  if (row.mfa_required && !row.mfa_enabled) {
    return {
      actor: null,
      pendingMfa: { kind: 'mfa_enroll', userId: row.user_id, sessionId: row.session_id },
    };
  }
  return {
    actor: {
      userId: row.user_id,
      organizationId: row.organization_id,
      email: row.email,
      displayName: row.display_name,
      roles: row.roles as Role[],
      via: 'session',
      scopes: null,
      sessionId: row.session_id,
    },
    pendingMfa: null,
  };
}
