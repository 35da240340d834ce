import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerRuntime } from '../../../test/support/context.js';
import { createOrg, createUser, type TestUser } from '../../../test/support/factories.js';
import type { AppContext } from '../../context.js';
import type { Role } from '../../domain/vocabulary.js';
import { SESSION_COOKIE } from '../../platform/auth/authenticate.js';
import {
  type AuthTestApp,
  authTestApp,
  PASSWORD,
  passwordHash,
  sessionCookie,
  signIn,
} from './auth.test-helpers.js';

/** A user who can sign in with PASSWORD (plus a Bearer token from the factory). */
async function loginUser(
  ctx: AppContext,
  org: { id: string },
  roles: Role[] = ['analyst'],
  o: { scopes?: string[] } = {},
): Promise<TestUser> {
  return createUser(ctx, org, roles, { passwordHash: await passwordHash(ctx), ...o });
}

let t: AuthTestApp;
beforeAll(async () => {
  t = await authTestApp((await workerRuntime()).ctx);
});
afterAll(async () => {
  await t.app.close();
});

async function auditFor(email: string) {
  const rows = await t.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'auth.login')
    .where(sql<boolean>`details @> ${JSON.stringify({ email })}::jsonb`)
    .orderBy('seq')
    .execute();
  return rows;
}

describe('POST /auth/login', () => {
  it('signs in, sets a hardened session cookie and answers Me with permissions', async () => {
    const org = await createOrg(t.ctx);
    const user = await loginUser(t.ctx, org, ['analyst']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email.toUpperCase(), password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.mfa).toBe('none');
    expect(body.user).toMatchObject({
      id: user.id,
      email: user.email,
      roles: ['analyst'],
      mfaEnabled: false,
      organization: { id: org.id, slug: org.slug, mfaRequired: false },
    });
    expect(body.user.permissions).toContain('records.create');
    expect(body.user.permissions).not.toContain('agreements.create');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.value.startsWith('ses_')).toBe(true);
    // Only the hash is stored.
    const stored = await t.ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(cookie?.value);

    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `${SESSION_COOKIE}=${cookie?.value}` },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user: { id: user.id }, csrfToken: body.csrfToken });

    const audit = await auditFor(user.email);
    expect(audit.map((a) => a.outcome)).toEqual(['success']);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it('sets Secure on the cookie when configured', async () => {
    const secure = await authTestApp((await workerRuntime()).ctx, { secureCookies: true });
    try {
      const user = await loginUser(secure.ctx, await createOrg(secure.ctx));
      const { res } = await signIn(secure.app, user.email);
      expect(res.cookies.find((c) => c.name === SESSION_COOKIE)?.secure).toBe(true);
    } finally {
      await secure.app.close();
    }
  });

  it('answers 400 on a malformed body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.c' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'body.password', rule: 'required' });
  });

  it('answers the same 401 for a wrong password and an unknown e-mail, and audits both without the password', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const wrong = await signIn(t.app, user.email, 'not the right password');
    const unknownEmail = `nobody-${user.id}@test.entente.example`;
    const unknown = await signIn(t.app, unknownEmail, 'not the right password');
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(wrong.res.json())).toEqual(strip(unknown.res.json()));
    expect(wrong.res.json().code).toBe('invalid_credentials');
    expect(wrong.cookie).toBe('');

    const a1 = await auditFor(user.email);
    const a2 = await auditFor(unknownEmail);
    expect(a1.map((a) => [a.outcome, a.details.reason])).toEqual([['failure', 'wrong_password']]);
    expect(a2.map((a) => [a.outcome, a.details.reason])).toEqual([['failure', 'unknown_email']]);
    expect(JSON.stringify([a1, a2])).not.toContain('not the right password');
  });

  it('locks the account after the threshold, answers 423 even with the right password, and unlocks after the lockout period', async () => {
    const { lockoutThreshold, lockoutMinutes } = t.ctx.config;
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    for (let i = 1; i < lockoutThreshold; i++) {
      expect((await signIn(t.app, user.email, 'wrong password!')).res.statusCode).toBe(401);
    }
    const locking = await signIn(t.app, user.email, 'wrong password!');
    expect(locking.res.statusCode).toBe(423);
    expect(locking.res.json()).toMatchObject({
      code: 'account_locked',
      retryAfterSeconds: lockoutMinutes * 60,
    });

    const rightButLocked = await signIn(t.app, user.email);
    expect(rightButLocked.res.statusCode).toBe(423);
    expect(rightButLocked.cookie).toBe('');

    t.clock.advance(lockoutMinutes * 60_000 - 1000);
    expect((await signIn(t.app, user.email)).res.statusCode).toBe(423);
    t.clock.advance(2000);
    const unlocked = await signIn(t.app, user.email);
    expect(unlocked.res.statusCode).toBe(200);

    // Success reset the counter: one more failure is a plain 401, not a lock.
    expect((await signIn(t.app, user.email, 'wrong password!')).res.statusCode).toBe(401);
    const row = await t.ctx.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(1);

    const reasons = (await auditFor(user.email)).map((a) => `${a.outcome}:${a.details.reason ?? ''}`);
    expect(reasons.filter((r) => r === 'failure:locked')).toHaveLength(2);
    expect(reasons).toContain('success:');
  });

  it('refuses disabled users with the generic 401', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    await t.ctx.db
      .updateTable('users')
      .set({ disabled_at: t.clock.now() })
      .where('id', '=', user.id)
      .execute();
    const res = await signIn(t.app, user.email);
    expect(res.res.statusCode).toBe(401);
    expect(res.res.json().code).toBe('invalid_credentials');
  });

  it('ignores a stale or foreign session cookie sent along with the sign-in (no CSRF failure)', async () => {
    const org = await createOrg(t.ctx);
    const first = await loginUser(t.ctx, org);
    const second = await loginUser(t.ctx, org);
    const a = await signIn(t.app, first.email);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: `${SESSION_COOKIE}=${a.cookie}` },
      payload: { email: second.email, password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(second.id);
    expect(sessionCookie(res)).not.toBe(a.cookie);
  });

  it('opens a new session id at every sign-in', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const a = await signIn(t.app, user.email);
    const b = await signIn(t.app, user.email);
    expect(a.cookie).not.toBe(b.cookie);
    expect(a.csrf).not.toBe(b.csrf);
  });
});

describe('login rate limit', () => {
  it('answers 429 once an IP exceeds the per-minute limit', async () => {
    const limited = await authTestApp((await workerRuntime()).ctx, { loginRateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (await signIn(limited.app, 'nobody@test.entente.example', 'whatever-password')).res.statusCode,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const last = await signIn(limited.app, 'nobody@test.entente.example', 'whatever-password');
      expect(last.res.statusCode).toBe(429);
      expect(last.res.headers['content-type']).toContain('application/problem+json');
      expect(last.res.headers['retry-after']).toBeDefined();
      // Other routes are not limited by the login budget.
      const health = await limited.app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
    } finally {
      await limited.app.close();
    }
  });
});

describe('CSRF, session and logout', () => {
  it('requires the session CSRF token on cookie-authenticated writes', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const s = await signIn(t.app, user.email);
    const payload = { name: 'ci', scopes: ['records:read'], expiresInDays: 30 };
    const cookieOnly = { cookie: s.headers.cookie };

    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: cookieOnly,
      payload,
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('csrf_failed');

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...cookieOnly, 'x-csrf-token': `${s.csrf.slice(0, -2)}xx` },
      payload,
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('csrf_failed');

    const right = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: s.headers, payload });
    expect(right.statusCode).toBe(201);

    // Reads need no CSRF token.
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: cookieOnly });
    expect(read.statusCode).toBe(200);
  });

  it('GET /auth/session answers 401 without a session, and the session for a Bearer token without CSRF token', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(anon.statusCode).toBe(401);
    const user = await loginUser(t.ctx, await createOrg(t.ctx), ['auditor']);
    const viaToken = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: user.auth });
    expect(viaToken.statusCode).toBe(200);
    expect(viaToken.json()).toMatchObject({ csrfToken: null, user: { id: user.id } });
    expect(viaToken.json().user.permissions).toEqual(
      expect.arrayContaining(['audit.read', 'agreements.read', 'organizations.read']),
    );
    expect(viaToken.json().user.permissions).not.toContain('records.read');
  });

  it('logout revokes the session and clears the cookie', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const s = await signIn(t.app, user.email);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.headers.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);

    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cleared?.value).toBe('');
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: s.headers.cookie },
    });
    expect(after.statusCode).toBe(401);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.logout')
      .where('actor_user_id', '=', user.id)
      .execute();
    expect(audit).toHaveLength(1);

    // Without a session it is still a harmless 204.
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(anon.statusCode).toBe(204);
  });

  it('expires sessions after the idle period and the absolute maximum', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const s = await signIn(t.app, user.email);
    const get = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: s.headers.cookie } });
    t.clock.advance((t.ctx.config.sessionIdleMinutes - 1) * 60_000);
    expect((await get()).statusCode).toBe(200);
    t.clock.advance((t.ctx.config.sessionIdleMinutes + 1) * 60_000);
    expect((await get()).statusCode).toBe(401);
  });
});
