import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { ROLES, type Role } from '../../domain/vocabulary.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { hashPassword } from '../../platform/auth/secrets.js';
import type { Executor, Tx } from '../../platform/db/db.js';
import { containsPattern } from '../../platform/db/like.js';
import { emit } from '../../platform/events/outbox.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/http/problem.js';
import { normalizeEmail } from './auth.service.js';
import {
  canAssignRoles,
  canManageOrganizationSecurity,
  canManageUsersOf,
  userPermissions,
} from './users.policy.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type User } from './users.schema.js';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Password rule: 12 to 256 characters (counted as characters, not bytes). */
export function checkPassword(password: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw invalid(
      'password',
      'minLength',
      `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
    );
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw invalid(
      'password',
      'maxLength',
      `The password may have at most ${MAX_PASSWORD_LENGTH} characters.`,
    );
  }
}

function checkRoles(roles: readonly string[]): Role[] {
  if (roles.length === 0) throw invalid('roles', 'minItems', 'A user needs at least one role.');
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw invalid('roles', 'enum', `Unknown roles: ${unknown.join(', ')} (known: ${ROLES.join(', ')}).`);
  }
  return [...new Set(roles as Role[])];
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

async function emailTaken(executor: Executor, email: string): Promise<boolean> {
  const row = await executor
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(email)`, '=', email)
    .executeTakeFirst();
  return row !== undefined;
}

interface NewUser {
  organizationId: string;
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
  locale?: string;
}

/** Validates, hashes and inserts a user with its audit entry and event, in one transaction. */
async function insertUser(
  ctx: AppContext,
  input: NewUser,
  auditActor: { userId: string | null; orgId: string | null; via: string },
): Promise<string> {
  const email = normalizeEmail(input.email);
  if (!EMAIL_PATTERN.test(email)) throw invalid('email', 'format', 'Not an e-mail address.');
  checkPassword(input.password);
  const roles = checkRoles(input.roles);
  const displayName = input.displayName.trim();
  if (displayName.length === 0) throw invalid('displayName', 'minLength', 'A display name is required.');
  if (await emailTaken(ctx.db, email))
    throw conflict('email_taken', 'A user with this e-mail already exists.');
  // Hashed before the transaction opens: argon2 is deliberately slow and must not hold locks.
  const passwordHash = await hashPassword(input.password, ctx.config.argon2);
  const now = ctx.clock.now();
  const id = randomUUID();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id,
          organization_id: input.organizationId,
          email,
          display_name: displayName,
          password_hash: passwordHash,
          roles,
          ...(input.locale ? { locale: input.locale } : {}),
          mfa_secret: null,
          locked_until: null,
          disabled_at: null,
          last_login_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await appendAudit(trx, now, [
        {
          action: 'user.create',
          actorUserId: auditActor.userId,
          actorOrgId: auditActor.orgId,
          objectType: 'user',
          objectId: id,
          ownerOrgId: input.organizationId,
          outcome: 'success',
          details: { email, roles, via: auditActor.via },
        },
      ]);
      await emit(trx, now, 'user.created', { userId: id, organizationId: input.organizationId, roles });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('email_taken', 'A user with this e-mail already exists.');
    throw error;
  }
  return id;
}

/**
 * Creates a user from the command line (`entente user create`) in the organization given by slug or
 * id. Enforces the password rule (at least 12 characters), a valid e-mail, known roles and a unique
 * e-mail (case-insensitive); stores only the argon2id hash.
 */
export async function createUser(
  ctx: AppContext,
  input: { organization: string; email: string; displayName: string; password: string; roles: Role[] },
): Promise<{ id: string; email: string }> {
  let q = ctx.db.selectFrom('organizations').select('id');
  q = UUID_PATTERN.test(input.organization)
    ? q.where((eb) => eb.or([eb('id', '=', input.organization), eb('slug', '=', input.organization)]))
    : q.where('slug', '=', input.organization);
  const org = await q.executeTakeFirst();
  if (!org) throw notFound('organization');
  const id = await insertUser(
    ctx,
    { ...input, organizationId: org.id },
    { userId: null, orgId: null, via: 'cli' },
  );
  return { id, email: normalizeEmail(input.email) };
}

function userQuery(executor: Executor) {
  return executor
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.organization_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.roles',
      'u.locale',
      'u.mfa_enabled',
      'u.disabled_at',
      'u.locked_until',
      'u.last_login_at',
      'u.created_at',
      'u.updated_at',
      'u.organization_id',
      'o.slug as org_slug',
      'o.name as org_name',
      'o.kind as org_kind',
    ]);
}

type UserQueryRow = Awaited<ReturnType<ReturnType<typeof userQuery>['executeTakeFirstOrThrow']>>;

function presentUser(actor: Actor, r: UserQueryRow, now: Date): User {
  const roles = r.roles as Role[];
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    roles,
    locale: r.locale,
    mfaEnabled: r.mfa_enabled,
    disabled: r.disabled_at !== null,
    disabledAt: r.disabled_at?.toISOString() ?? null,
    // A lock that has run out is no lock: show it only while it holds.
    lockedUntil: r.locked_until && r.locked_until > now ? r.locked_until.toISOString() : null,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    organization: { id: r.organization_id, slug: r.org_slug, name: r.org_name, kind: r.org_kind },
    permissions: userPermissions(actor, { id: r.id, organizationId: r.organization_id, roles }),
  };
}

async function loadUser(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  const row = await userQuery(ctx.db).where('u.id', '=', id).executeTakeFirst();
  if (!row || !canManageUsersOf(actor, row.organization_id)) throw notFound('user');
  return presentUser(actor, row, ctx.clock.now());
}

/**
 * Users the actor administers: an org admin sees its own organization, a platform admin every
 * organization (optionally one). The scope is applied in SQL.
 */
export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  query: { organization?: string; q?: string; limit: number; offset: number },
): Promise<{ items: User[]; total: number; limit: number; offset: number }> {
  const isPlatformAdmin = actor.roles.includes('platform_admin');
  let base = userQuery(ctx.db);
  if (!isPlatformAdmin) base = base.where('u.organization_id', '=', actor.organizationId);
  if (query.organization) base = base.where('u.organization_id', '=', query.organization);
  if (query.q) {
    const pattern = containsPattern(query.q.toLowerCase());
    base = base.where((eb) =>
      eb.or([
        eb(sql<string>`lower(u.email)`, 'like', pattern),
        eb(sql<string>`lower(u.display_name)`, 'like', pattern),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    base.orderBy('u.email').limit(query.limit).offset(query.offset).execute(),
    base
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const now = ctx.clock.now();
  return {
    items: rows.map((r) => presentUser(actor, r, now)),
    total: Number(count.n),
    limit: query.limit,
    offset: query.offset,
  };
}

/**
 * Creates a user as an administrator: org admins in their own organization, platform admins
 * anywhere; only a platform admin grants `platform_admin`.
 */
export async function createUserAs(
  ctx: AppContext,
  actor: Actor,
  input: {
    organizationId?: string;
    email: string;
    displayName: string;
    password: string;
    roles: Role[];
    locale?: string;
  },
): Promise<User> {
  const organizationId = input.organizationId ?? actor.organizationId;
  const org = await ctx.db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!org) throw notFound('organization');
  // Organizations are in the directory every user reads, so another organization is 403, not 404.
  if (!canManageUsersOf(actor, organizationId)) {
    throw forbidden('You may only create users in your own organization.');
  }
  if (!canAssignRoles(actor, [], input.roles)) {
    throw forbidden('Only a platform administrator grants the platform_admin role.', 'role_not_allowed');
  }
  const id = await insertUser(
    ctx,
    { ...input, organizationId },
    { userId: actor.userId, orgId: actor.organizationId, via: actor.via },
  );
  return loadUser(ctx, actor, id);
}

async function revokeSessions(
  trx: Tx,
  userId: string,
  now: Date,
): Promise<{ sessions: number; tokens: number }> {
  const sessions = await trx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return { sessions: Number(sessions.numUpdatedRows), tokens: 0 };
}

async function revokeCredentials(
  trx: Tx,
  userId: string,
  now: Date,
): Promise<{ sessions: number; tokens: number }> {
  const { sessions } = await revokeSessions(trx, userId, now);
  const tokens = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return { sessions, tokens: Number(tokens.numUpdatedRows) };
}

/**
 * Changes a user's roles, display name or disabled flag. Users the actor does not administer are
 * not found. Nobody changes their own roles, disables themselves or resets their own MFA (no
 * self-escalation, no lock-out of the last admin). Disabling revokes every session and API token
 * at once; an MFA reset (lost device) revokes the sessions.
 */
export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: { roles?: Role[]; disabled?: boolean; displayName?: string; resetMfa?: true },
): Promise<User> {
  const row = await userQuery(ctx.db).where('u.id', '=', id).executeTakeFirst();
  if (!row || !canManageUsersOf(actor, row.organization_id)) throw notFound('user');
  const before = row.roles as Role[];
  const after = patch.roles ? checkRoles(patch.roles) : before;
  if (!canAssignRoles(actor, before, after)) {
    throw forbidden('Only a platform administrator manages platform administrators.', 'role_not_allowed');
  }
  const rolesChanged =
    patch.roles !== undefined && (after.length !== before.length || after.some((r) => !before.includes(r)));
  if (id === actor.userId && rolesChanged) {
    throw conflict('cannot_change_own_roles', 'Another administrator must change your roles.');
  }
  if (id === actor.userId && patch.disabled === true) {
    throw conflict('cannot_disable_self', 'You cannot disable your own account.');
  }
  if (id === actor.userId && patch.resetMfa) {
    // Otherwise a stolen admin session could strip the admin's own second factor.
    throw conflict('cannot_reset_own_mfa', 'Another administrator must reset your MFA.');
  }
  const displayName = patch.displayName?.trim();
  if (displayName !== undefined && displayName.length === 0) {
    throw invalid('displayName', 'minLength', 'A display name is required.');
  }
  const wasDisabled = row.disabled_at !== null;
  const disabling = patch.disabled === true && !wasDisabled;
  const enabling = patch.disabled === false && wasDisabled;
  const changes: Record<string, unknown> = {};
  if (rolesChanged) changes.roles = { from: before, to: after };
  if (displayName !== undefined && displayName !== row.display_name) {
    changes.displayName = { from: row.display_name, to: displayName };
  }
  if (disabling || enabling) changes.disabled = { from: wasDisabled, to: disabling };
  const resettingMfa = patch.resetMfa === true && row.mfa_enabled;
  if (resettingMfa) changes.mfa = { from: 'enabled', to: 'reset' };
  if (Object.keys(changes).length === 0) return presentUser(actor, row, ctx.clock.now());

  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        updated_at: now,
        ...(rolesChanged ? { roles: after } : {}),
        ...(changes.displayName ? { display_name: displayName } : {}),
        ...(disabling ? { disabled_at: now } : {}),
        ...(enabling ? { disabled_at: null } : {}),
        ...(resettingMfa ? { mfa_enabled: false, mfa_secret: null } : {}),
      })
      .where('id', '=', id)
      .execute();
    // A reset means the factor may be in someone else's hands: end the sessions it vouched for.
    const revoked = disabling
      ? await revokeCredentials(trx, id, now)
      : resettingMfa
        ? await revokeSessions(trx, id, now)
        : null;
    await appendAudit(trx, now, [
      {
        action: disabling
          ? 'user.disable'
          : enabling
            ? 'user.enable'
            : resettingMfa
              ? 'user.mfa_reset'
              : 'user.update',
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'user',
        objectId: id,
        ownerOrgId: row.organization_id,
        outcome: 'success',
        details: {
          changes,
          ...(revoked ? { revokedSessions: revoked.sessions, revokedTokens: revoked.tokens } : {}),
        },
      },
    ]);
    await emit(trx, now, 'user.updated', {
      userId: id,
      organizationId: row.organization_id,
      changed: Object.keys(changes),
    });
  });
  return loadUser(ctx, actor, id);
}

/**
 * Sets whether an organization requires MFA of its members (its org admins or a platform admin).
 * Takes effect on the next request: members without MFA are sent to enrolment.
 */
export async function setOrganizationSecurity(
  ctx: AppContext,
  actor: Actor,
  organizationId: string,
  input: { mfaRequired: boolean },
): Promise<{ id: string; mfaRequired: boolean }> {
  const org = await ctx.db
    .selectFrom('organizations')
    .select(['id', 'mfa_required'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!org) throw notFound('organization');
  if (!canManageOrganizationSecurity(actor, org.id)) {
    throw forbidden("Only the organization's administrators change its security settings.");
  }
  if (org.mfa_required === input.mfaRequired) return { id: org.id, mfaRequired: org.mfa_required };
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('organizations')
      .set({ mfa_required: input.mfaRequired, updated_at: now })
      .where('id', '=', org.id)
      .execute();
    await appendAudit(trx, now, [
      {
        action: 'organization.security.update',
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'organization',
        objectId: org.id,
        ownerOrgId: org.id,
        outcome: 'success',
        details: { mfaRequired: { from: org.mfa_required, to: input.mfaRequired } },
      },
    ]);
    await emit(trx, now, 'organization.security_changed', {
      organizationId: org.id,
      mfaRequired: input.mfaRequired,
    });
  });
  return { id: org.id, mfaRequired: input.mfaRequired };
}
