import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Role } from '../../domain/vocabulary.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { hashPassword, hashSecret, newSecret, verifyPassword } from '../../platform/auth/secrets.js';
import type { Executor, Tx } from '../../platform/db/db.js';
import {
  conflict,
  forbidden,
  invalid,
  notFound,
  Problem,
  unauthenticated,
} from '../../platform/http/problem.js';
import { acceptTotp, newTotpSecret, otpauthUrl, qrDataUrl, readMfa, storeMfa, withLastStep } from './mfa.js';
import { permissionsFor } from './users.policy.js';
import type { Me, MfaState } from './users.schema.js';

/** Where a request came from, for sessions and the audit log. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** A freshly opened session: `secret` goes into the cookie and is stored only as its hash. */
export interface IssuedSession {
  id: string;
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Who is setting up or changing MFA: a signed-in session, or one still pending MFA enrolment. */
export interface MfaSubject {
  userId: string;
  sessionId: string;
}

function invalidCredentials(): Problem {
  return new Problem(401, 'invalid_credentials', 'Sign-in failed', 'Wrong e-mail or password.');
}

function accountLocked(until: Date, now: Date): Problem {
  return new Problem(
    423,
    'account_locked',
    'Account locked',
    'Too many failed sign-in attempts; try again later or ask your administrator.',
    [],
    { retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) },
  );
}

function invalidMfaCode(): Problem {
  return new Problem(
    401,
    'invalid_mfa_code',
    'Sign-in failed',
    'The code is wrong, expired or already used.',
  );
}

const dummyHashes = new Map<string, Promise<string>>();

/**
 * An argon2id hash with the configured cost, verified against when the e-mail is unknown, so that
 * an unknown account takes as long to refuse as a wrong password (no account enumeration by timing).
 */
export function dummyPasswordHash(ctx: AppContext): Promise<string> {
  const key = JSON.stringify(ctx.config.argon2);
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashPassword(randomBytes(16).toString('base64url'), ctx.config.argon2);
    dummyHashes.set(key, hash);
  }
  return hash;
}

/** Normalises an e-mail address for storage and lookup (addresses are matched case-insensitively). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The signed-in user as the web application sees it, with the permissions the roles grant. */
export async function loadMe(executor: Executor, userId: string): Promise<Me> {
  const row = await executor
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.organization_id')
    .select([
      'u.id',
      'u.email',
      'u.display_name',
      'u.roles',
      'u.locale',
      'u.mfa_enabled',
      'o.id as org_id',
      'o.slug as org_slug',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.mfa_required',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('user');
  const roles = row.roles as Role[];
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    roles,
    locale: row.locale,
    mfaEnabled: row.mfa_enabled,
    organization: {
      id: row.org_id,
      slug: row.org_slug,
      name: row.org_name,
      kind: row.org_kind,
      mfaRequired: row.mfa_required,
    },
    permissions: permissionsFor(roles),
  };
}

/** Opens a session row inside the caller's transaction. A new id and secret every time (no fixation). */
async function openSession(
  trx: Tx,
  ctx: AppContext,
  userId: string,
  mfaVerified: boolean,
  meta: RequestMeta,
  now: Date,
): Promise<IssuedSession> {
  const session: IssuedSession = {
    id: randomUUID(),
    secret: newSecret('ses_'),
    csrfToken: randomBytes(32).toString('base64url'),
    expiresAt: new Date(now.getTime() + ctx.config.sessionMaxHours * 3_600_000),
  };
  await trx
    .insertInto('sessions')
    .values({
      id: session.id,
      token_hash: hashSecret(session.secret),
      csrf_token: session.csrfToken,
      user_id: userId,
      mfa_verified: mfaVerified,
      created_at: now,
      last_seen_at: now,
      expires_at: session.expiresAt,
      revoked_at: null,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return session;
}

/** Revokes one session; true when it was still live (so it cannot be upgraded twice). */
async function revokeSession(executor: Executor, sessionId: string, now: Date): Promise<boolean> {
  const result = await executor
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Counts a failed sign-in step (password or MFA code) and locks the account for
 * `lockoutMinutes` when `lockoutThreshold` consecutive failures are reached; the counter starts
 * again from zero after a lockout. Returns the lock end when this failure locked the account.
 */
async function recordFailure(trx: Tx, ctx: AppContext, userId: string, now: Date): Promise<Date | null> {
  const row = await trx
    .updateTable('users')
    .set({ failed_logins: sql`failed_logins + 1` })
    .where('id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  const threshold = ctx.config.lockoutThreshold;
  if (threshold === 0 || row.failed_logins < threshold) return null;
  const until = new Date(now.getTime() + ctx.config.lockoutMinutes * 60_000);
  await trx
    .updateTable('users')
    .set({ locked_until: until, failed_logins: 0 })
    .where('id', '=', userId)
    .execute();
  return until;
}

/**
 * Signs in with e-mail and password. Unknown e-mail and wrong password answer the same 401 after
 * the same argon2 work; a locked account answers 423 even with the right password. On success the
 * failure counter resets and a new session opens, MFA-verified only when the user has no MFA to
 * pass. Every attempt is audited (`auth.login`), never with the password.
 */
export async function login(
  ctx: AppContext,
  input: { email: string; password: string },
  meta: RequestMeta,
): Promise<{ session: IssuedSession; user: Me; mfa: MfaState }> {
  const now = ctx.clock.now();
  const email = normalizeEmail(input.email);
  const user = await ctx.db
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.organization_id')
    .select([
      'u.id',
      'u.organization_id',
      'u.password_hash',
      'u.locked_until',
      'u.disabled_at',
      'u.mfa_enabled',
      'o.mfa_required',
    ])
    .where(sql<string>`lower(u.email)`, '=', email)
    .executeTakeFirst();

  const fail = async (
    reason: 'unknown_email' | 'wrong_password' | 'locked' | 'disabled',
    extra: Record<string, unknown> = {},
  ): Promise<void> => {
    await appendAudit(ctx.db, now, [
      {
        action: 'auth.login',
        actorUserId: user?.id ?? null,
        actorOrgId: user?.organization_id ?? null,
        objectType: 'user',
        objectId: user?.id ?? null,
        ownerOrgId: user?.organization_id ?? null,
        outcome: 'failure',
        ip: meta.ip,
        details: { reason, email, ...extra },
      },
    ]);
  };

  if (!user) {
    await verifyPassword(await dummyPasswordHash(ctx), input.password);
    await fail('unknown_email');
    throw invalidCredentials();
  }
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  if (user.locked_until && user.locked_until > now) {
    await fail('locked');
    throw accountLocked(user.locked_until, now);
  }
  if (user.disabled_at) {
    await fail('disabled');
    throw invalidCredentials();
  }
  if (!passwordOk) {
    const lockedUntil = await ctx.db.transaction().execute(async (trx) => {
      const until = await recordFailure(trx, ctx, user.id, now);
      await appendAudit(trx, now, [
        {
          action: 'auth.login',
          actorUserId: user.id,
          actorOrgId: user.organization_id,
          objectType: 'user',
          objectId: user.id,
          ownerOrgId: user.organization_id,
          outcome: 'failure',
          ip: meta.ip,
          details: {
            reason: 'wrong_password',
            email,
            ...(until ? { lockedUntil: until.toISOString() } : {}),
          },
        },
      ]);
      return until;
    });
    if (lockedUntil) throw accountLocked(lockedUntil, now);
    throw invalidCredentials();
  }

  const mfa: MfaState = user.mfa_enabled ? 'verify' : user.mfa_required ? 'enroll' : 'none';
  const session = await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, last_login_at: now })
      .where('id', '=', user.id)
      .execute();
    const opened = await openSession(trx, ctx, user.id, mfa === 'none', meta, now);
    await appendAudit(trx, now, [
      {
        action: 'auth.login',
        actorUserId: user.id,
        actorOrgId: user.organization_id,
        objectType: 'session',
        objectId: opened.id,
        ownerOrgId: user.organization_id,
        outcome: 'success',
        ip: meta.ip,
        details: { email, mfa },
      },
    ]);
    return opened;
  });
  return { session, user: await loadMe(ctx.db, user.id), mfa };
}

/** Revokes the session the request came with (if any) and audits the sign-out. Idempotent. */
export async function logout(
  ctx: AppContext,
  subject: { userId: string; organizationId: string | null; sessionId: string } | null,
  meta: RequestMeta,
): Promise<void> {
  if (!subject) return;
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await revokeSession(trx, subject.sessionId, now))) return;
    await appendAudit(trx, now, [
      {
        action: 'auth.logout',
        actorUserId: subject.userId,
        actorOrgId: subject.organizationId,
        objectType: 'session',
        objectId: subject.sessionId,
        ownerOrgId: subject.organizationId,
        outcome: 'success',
        ip: meta.ip,
      },
    ]);
  });
}

/** The current user and, for cookie sessions, the CSRF token the client must echo on writes. */
export async function currentSession(
  ctx: AppContext,
  actor: Actor,
): Promise<{ user: Me; csrfToken: string | null }> {
  let csrfToken: string | null = null;
  if (actor.via === 'session' && actor.sessionId) {
    const row = await ctx.db
      .selectFrom('sessions')
      .select('csrf_token')
      .where('id', '=', actor.sessionId)
      .executeTakeFirst();
    csrfToken = row?.csrf_token ?? null;
  }
  return { user: await loadMe(ctx.db, actor.userId), csrfToken };
}

async function mfaUser(ctx: AppContext, userId: string) {
  const row = await ctx.db
    .selectFrom('users as u')
    .innerJoin('organizations as o', 'o.id', 'u.organization_id')
    .select([
      'u.id',
      'u.email',
      'u.organization_id',
      'u.mfa_secret',
      'u.mfa_enabled',
      'u.locked_until',
      'o.mfa_required',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!row) throw unauthenticated();
  return row;
}

/**
 * Completes a sign-in with a TOTP code. The pending session is revoked and a new, verified session
 * issued (a session id seen before MFA never becomes a full session). A code is accepted once:
 * the step it belongs to is recorded with a compare-and-set, so a replay, even a concurrent one,
 * fails. Wrong codes count towards the account lockout like wrong passwords.
 */
export async function verifyMfa(
  ctx: AppContext,
  pending: MfaSubject,
  code: string,
  meta: RequestMeta,
): Promise<{ session: IssuedSession; user: Me }> {
  const now = ctx.clock.now();
  const user = await mfaUser(ctx, pending.userId);
  if (user.locked_until && user.locked_until > now) throw accountLocked(user.locked_until, now);
  if (!user.mfa_enabled || !user.mfa_secret)
    throw conflict('mfa_not_enabled', 'This account has no MFA to verify.');
  const stored = user.mfa_secret;
  const { secret, lastStep } = readMfa(ctx.config.secretKey, user.id, stored);
  const step = acceptTotp(secret, code, now, lastStep);
  const audit = (outcome: 'success' | 'failure', details: Record<string, unknown>) => ({
    action: 'auth.mfa.verify',
    actorUserId: user.id,
    actorOrgId: user.organization_id,
    objectType: 'session',
    objectId: pending.sessionId,
    ownerOrgId: user.organization_id,
    outcome,
    ip: meta.ip,
    details,
  });
  if (step === null) {
    const lockedUntil = await ctx.db.transaction().execute(async (trx) => {
      const until = await recordFailure(trx, ctx, user.id, now);
      if (until) await revokeSession(trx, pending.sessionId, now);
      await appendAudit(trx, now, [
        audit('failure', { reason: 'invalid_code', ...(until ? { lockedUntil: until.toISOString() } : {}) }),
      ]);
      return until;
    });
    if (lockedUntil) throw accountLocked(lockedUntil, now);
    throw invalidMfaCode();
  }
  const session = await ctx.db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('users')
      .set({ mfa_secret: withLastStep(stored, step), failed_logins: 0 })
      .where('id', '=', user.id)
      .where('mfa_secret', '=', stored)
      .executeTakeFirst();
    if (used.numUpdatedRows === 0n || !(await revokeSession(trx, pending.sessionId, now))) return null;
    const opened = await openSession(trx, ctx, user.id, true, meta, now);
    await appendAudit(trx, now, [audit('success', { newSessionId: opened.id })]);
    return opened;
  });
  if (!session) throw invalidMfaCode();
  return { session, user: await loadMe(ctx.db, user.id) };
}

/**
 * Starts (or restarts) TOTP enrolment: a new secret is generated on the server and stored sealed
 * under the platform key, not yet active. Refused when MFA is already on (disable it first).
 */
export async function enrollMfa(
  ctx: AppContext,
  subject: MfaSubject,
  meta: RequestMeta,
): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
  const now = ctx.clock.now();
  const user = await mfaUser(ctx, subject.userId);
  if (user.mfa_enabled)
    throw conflict('mfa_already_enabled', 'MFA is already active; disable it first to re-enrol.');
  const secret = newTotpSecret();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ mfa_secret: storeMfa(ctx.config.secretKey, user.id, secret, null), updated_at: now })
      .where('id', '=', user.id)
      .execute();
    await appendAudit(trx, now, [
      {
        action: 'auth.mfa.enroll',
        actorUserId: user.id,
        actorOrgId: user.organization_id,
        objectType: 'user',
        objectId: user.id,
        ownerOrgId: user.organization_id,
        outcome: 'success',
        ip: meta.ip,
      },
    ]);
  });
  const url = otpauthUrl(secret, user.email);
  return { secret, otpauthUrl: url, qrDataUrl: await qrDataUrl(url) };
}

/**
 * Activates the enrolled secret with a valid code. Proving the second factor upgrades the sign-in:
 * the current session is replaced by a new, MFA-verified one.
 */
export async function activateMfa(
  ctx: AppContext,
  subject: MfaSubject,
  code: string,
  meta: RequestMeta,
): Promise<{ session: IssuedSession; user: Me }> {
  const now = ctx.clock.now();
  const user = await mfaUser(ctx, subject.userId);
  if (user.mfa_enabled) throw conflict('mfa_already_enabled', 'MFA is already active.');
  if (!user.mfa_secret)
    throw conflict('mfa_not_enrolling', 'Start the enrolment first (POST /auth/mfa/enroll).');
  const stored = user.mfa_secret;
  const { secret, lastStep } = readMfa(ctx.config.secretKey, user.id, stored);
  const step = acceptTotp(secret, code, now, lastStep);
  if (step === null)
    throw invalid('code', 'totp', 'The code is wrong or expired; check the time on your device.');
  const session = await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('users')
      .set({ mfa_enabled: true, mfa_secret: withLastStep(stored, step), updated_at: now })
      .where('id', '=', user.id)
      .where('mfa_secret', '=', stored)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n || !(await revokeSession(trx, subject.sessionId, now))) return null;
    const opened = await openSession(trx, ctx, user.id, true, meta, now);
    await appendAudit(trx, now, [
      {
        action: 'auth.mfa.activate',
        actorUserId: user.id,
        actorOrgId: user.organization_id,
        objectType: 'user',
        objectId: user.id,
        ownerOrgId: user.organization_id,
        outcome: 'success',
        ip: meta.ip,
        details: { newSessionId: opened.id },
      },
    ]);
    return opened;
  });
  if (!session) throw conflict('mfa_not_enrolling', 'The enrolment changed meanwhile; start again.');
  return { session, user: await loadMe(ctx.db, user.id) };
}

/**
 * Turns MFA off after a valid code. Refused (403) while the organization requires MFA, so a
 * member cannot opt out of the organization's policy.
 */
export async function disableMfa(
  ctx: AppContext,
  actor: Actor,
  code: string,
  meta: RequestMeta,
): Promise<Me> {
  const now = ctx.clock.now();
  const user = await mfaUser(ctx, actor.userId);
  if (!user.mfa_enabled || !user.mfa_secret) throw conflict('mfa_not_enabled', 'MFA is not active.');
  if (user.mfa_required) {
    throw forbidden(
      'Your organization requires MFA; it cannot be turned off.',
      'mfa_required_by_organization',
    );
  }
  const { secret, lastStep } = readMfa(ctx.config.secretKey, user.id, user.mfa_secret);
  if (acceptTotp(secret, code, now, lastStep) === null) {
    throw invalid('code', 'totp', 'The code is wrong, expired or already used.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ mfa_enabled: false, mfa_secret: null, updated_at: now })
      .where('id', '=', user.id)
      .execute();
    await appendAudit(trx, now, [
      {
        action: 'auth.mfa.disable',
        actorUserId: user.id,
        actorOrgId: user.organization_id,
        objectType: 'user',
        objectId: user.id,
        ownerOrgId: user.organization_id,
        outcome: 'success',
        ip: meta.ip,
      },
    ]);
  });
  return loadMe(ctx.db, user.id);
}
