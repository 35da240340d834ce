import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Role } from '../../domain/vocabulary.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor, TokenScope } from '../../platform/auth/actor.js';
import { hashSecret, newSecret } from '../../platform/auth/secrets.js';
import { addDays } from '../../platform/clock.js';
import type { Tx } from '../../platform/db/db.js';
import { forbidden, invalid, notFound } from '../../platform/http/problem.js';
import { normalizeEmail } from './auth.service.js';
import { canManageUsersOf, disallowedScopes, scopesAllowedFor } from './users.policy.js';
import { type ApiToken, MAX_TOKEN_DAYS } from './users.schema.js';

/** Characters of the token kept in clear for display: `ent_` and 8 of its 43 random characters. */
const PREFIX_LENGTH = 12;

export interface CreatedToken {
  id: string;
  token: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  expiresAt: Date;
  createdAt: Date;
}

function checkDays(expiresInDays: number): void {
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > MAX_TOKEN_DAYS) {
    throw invalid('expiresInDays', 'range', `A token lives between 1 and ${MAX_TOKEN_DAYS} days.`);
  }
}

async function insertToken(
  trx: Tx,
  now: Date,
  owner: { id: string; organizationId: string },
  input: { name: string; scopes: TokenScope[]; expiresInDays: number },
  auditActor: { userId: string | null; orgId: string | null; via: string },
): Promise<CreatedToken> {
  const token = newSecret('ent_');
  const created: CreatedToken = {
    id: randomUUID(),
    token,
    name: input.name,
    prefix: token.slice(0, PREFIX_LENGTH),
    scopes: input.scopes,
    expiresAt: addDays(now, input.expiresInDays),
    createdAt: now,
  };
  await trx
    .insertInto('api_tokens')
    .values({
      id: created.id,
      user_id: owner.id,
      name: created.name,
      token_prefix: created.prefix,
      token_hash: hashSecret(token),
      scopes: created.scopes,
      expires_at: created.expiresAt,
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  await appendAudit(trx, now, [
    {
      action: 'token.create',
      actorUserId: auditActor.userId,
      actorOrgId: auditActor.orgId,
      objectType: 'api_token',
      objectId: created.id,
      ownerOrgId: owner.organizationId,
      outcome: 'success',
      // Never the token, nor its display prefix: the audit log is readable by auditors.
      details: {
        userId: owner.id,
        name: created.name,
        scopes: created.scopes,
        expiresAt: created.expiresAt.toISOString(),
        via: auditActor.via,
      },
    },
  ]);
  return created;
}

/**
 * Creates an API token for a user from the command line (`entente token create`). Scopes the
 * user's roles do not allow are dropped (the CLI asks for every scope by default); fails when none
 * remain, when the user is unknown or disabled, or when the lifetime is outside 1–365 days.
 * The token is returned once; only its hash is stored.
 */
export async function createApiToken(
  ctx: AppContext,
  input: { userEmail: string; name: string; scopes: TokenScope[]; expiresInDays: number },
): Promise<{ id: string; token: string; expiresAt: Date; scopes: TokenScope[] }> {
  checkDays(input.expiresInDays);
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'organization_id', 'roles', 'disabled_at'])
    .where(sql<string>`lower(email)`, '=', normalizeEmail(input.userEmail))
    .executeTakeFirst();
  if (!user || user.disabled_at) throw notFound('active user with that e-mail');
  const allowed = scopesAllowedFor(user.roles as Role[]);
  const scopes = [...new Set(input.scopes)].filter((s) => allowed.includes(s));
  if (scopes.length === 0) {
    throw invalid(
      'scopes',
      'roles',
      `The user's roles allow none of these scopes (allowed: ${allowed.join(', ')}).`,
    );
  }
  const now = ctx.clock.now();
  const created = await ctx.db
    .transaction()
    .execute((trx) =>
      insertToken(
        trx,
        now,
        { id: user.id, organizationId: user.organization_id },
        { name: input.name, scopes, expiresInDays: input.expiresInDays },
        { userId: null, orgId: null, via: 'cli' },
      ),
    );
  return { id: created.id, token: created.token, expiresAt: created.expiresAt, scopes: created.scopes };
}

/**
 * Issues a token to the actor. A token never carries a scope the owner's roles do not allow, and a
 * token cannot mint a token with more scopes than itself (403 `scope_not_allowed`).
 */
export async function issueToken(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; scopes: TokenScope[]; expiresInDays: number },
): Promise<CreatedToken> {
  checkDays(input.expiresInDays);
  const scopes = [...new Set(input.scopes)];
  const beyondRoles = disallowedScopes(actor.roles, scopes);
  const beyondToken = actor.scopes === null ? [] : scopes.filter((s) => !actor.scopes?.includes(s));
  const refused = [...new Set([...beyondRoles, ...beyondToken])];
  if (refused.length > 0) {
    throw forbidden(`You may not grant these scopes: ${refused.join(', ')}.`, 'scope_not_allowed');
  }
  const now = ctx.clock.now();
  return ctx.db
    .transaction()
    .execute((trx) =>
      insertToken(
        trx,
        now,
        { id: actor.userId, organizationId: actor.organizationId },
        { name: input.name, scopes, expiresInDays: input.expiresInDays },
        { userId: actor.userId, orgId: actor.organizationId, via: actor.via },
      ),
    );
}

/** The actor's own tokens, newest first, with their status at the platform's current time. */
export async function listTokens(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; offset: number },
): Promise<{ items: ApiToken[]; total: number; limit: number; offset: number }> {
  const now = ctx.clock.now();
  const base = ctx.db.selectFrom('api_tokens').where('user_id', '=', actor.userId);
  const [rows, count] = await Promise.all([
    base
      .select([
        'id',
        'name',
        'token_prefix',
        'scopes',
        'expires_at',
        'created_at',
        'last_used_at',
        'revoked_at',
      ])
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.token_prefix,
      scopes: r.scopes as TokenScope[],
      expiresAt: r.expires_at.toISOString(),
      createdAt: r.created_at.toISOString(),
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
      revokedAt: r.revoked_at?.toISOString() ?? null,
      status: r.revoked_at ? 'revoked' : r.expires_at <= now ? 'expired' : 'active',
    })),
    total: Number(count.n),
    limit: page.limit,
    offset: page.offset,
  };
}

/**
 * Revokes a token at once. Owners revoke their own; user administrators revoke tokens of the users
 * they manage. Anyone else's token is not found (404). Revoking twice is a no-op.
 */
export async function revokeToken(ctx: AppContext, actor: Actor, tokenId: string): Promise<void> {
  const row = await ctx.db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.revoked_at', 'u.organization_id'])
    .where('t.id', '=', tokenId)
    .executeTakeFirst();
  if (!row || (row.user_id !== actor.userId && !canManageUsersOf(actor, row.organization_id))) {
    throw notFound('token');
  }
  if (row.revoked_at) return;
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', row.id)
      .where('revoked_at', 'is', null)
      .execute();
    await appendAudit(trx, now, [
      {
        action: 'token.revoke',
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'api_token',
        objectId: row.id,
        ownerOrgId: row.organization_id,
        outcome: 'success',
        details: { userId: row.user_id },
      },
    ]);
  });
}
