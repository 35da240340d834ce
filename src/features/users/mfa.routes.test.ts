import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerRuntime } from '../../../test/support/context.js';
import { createOrg, createUser, type TestUser } from '../../../test/support/factories.js';
import type { AppContext } from '../../context.js';
import type { Role } from '../../domain/vocabulary.js';
import { SESSION_COOKIE } from '../../platform/auth/authenticate.js';
import {
  type AuthTestApp,
  authTestApp,
  passwordHash,
  type Signed,
  signed,
  signIn,
  totpAt,
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

const post = (url: string, headers: Record<string, string>, payload?: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
const getSession = (cookieHeader: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: cookieHeader } });

/** Signs in, enrols and activates MFA; returns the secret and the upgraded session. */
async function withMfa(email: string): Promise<{ secret: string; session: Signed }> {
  const s = await signIn(t.app, email);
  const enrolled = await post('/auth/mfa/enroll', s.headers);
  expect(enrolled.statusCode).toBe(200);
  const secret = enrolled.json().secret as string;
  const activated = await post('/auth/mfa/activate', s.headers, { code: totpAt(secret, t.clock.now()) });
  expect(activated.statusCode).toBe(200);
  // A code is good once: the next sign-in in these tests uses a later step.
  t.clock.advance(30_000);
  return { secret, session: signed(activated) };
}

describe('MFA enrolment (voluntary)', () => {
  it('enrols with a server-side secret, activates with a code and upgrades the session', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const s = await signIn(t.app, user.email);

    expect((await post('/auth/mfa/enroll', {})).statusCode).toBe(401);
    const enrolled = await post('/auth/mfa/enroll', s.headers);
    expect(enrolled.statusCode).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = enrolled.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Entente:/);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);

    // Stored sealed, never in clear.
    const row = await t.ctx.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.mfa_secret).toBeTruthy();
    expect(row.mfa_secret).not.toContain(secret);
    expect(row.mfa_enabled).toBe(false);

    expect((await post('/auth/mfa/activate', s.headers, { code: 'abc' })).statusCode).toBe(400);
    const wrongCode = totpAt(secret, new Date(t.clock.now().getTime() + 10 * 60_000));
    const wrong = await post('/auth/mfa/activate', s.headers, { code: wrongCode });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'code', rule: 'totp' });

    const ok = await post('/auth/mfa/activate', s.headers, { code: totpAt(secret, t.clock.now()) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.mfaEnabled).toBe(true);
    const upgraded = signed(ok);
    expect(upgraded.cookie).not.toBe('');
    expect(upgraded.cookie).not.toBe(s.cookie);
    expect((await getSession(s.headers.cookie)).statusCode).toBe(401);
    expect((await getSession(upgraded.headers.cookie)).statusCode).toBe(200);

    const again = await post('/auth/mfa/enroll', upgraded.headers);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('mfa_already_enabled');

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('actor_user_id', '=', user.id)
      .where('action', 'like', 'auth.mfa.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['auth.mfa.enroll', 'auth.mfa.activate']);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('refuses MFA changes through an API token', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const res = await post('/auth/mfa/enroll', user.auth);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('session_required');
  });
});

describe('MFA at sign-in', () => {
  it('holds the session pending until a valid code, then replaces it (no session fixation)', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const { secret } = await withMfa(user.email);
    // Far enough from the activation code's step that the previous step is unused.
    t.clock.advance(30_000);

    const pending = await signIn(t.app, user.email);
    expect(pending.res.statusCode).toBe(200);
    expect(pending.res.json().mfa).toBe('verify');

    // Pending: only the MFA routes work.
    const session = await getSession(pending.headers.cookie);
    expect(session.statusCode).toBe(401);
    expect(session.json()).toMatchObject({ code: 'mfa_required', mfa: 'verify' });
    const tokens = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: pending.headers });
    expect(tokens.statusCode).toBe(401);
    expect((await post('/auth/mfa/enroll', pending.headers)).statusCode).toBe(401);

    expect((await post('/auth/mfa/verify', {}, { code: '123456' })).statusCode).toBe(401);
    expect((await post('/auth/mfa/verify', pending.headers, { code: '12345' })).statusCode).toBe(400);
    const csrfMissing = await post(
      '/auth/mfa/verify',
      { cookie: pending.headers.cookie },
      { code: '123456' },
    );
    expect(csrfMissing.statusCode).toBe(403);

    const farCode = totpAt(secret, new Date(t.clock.now().getTime() + 5 * 60_000));
    const wrong = await post('/auth/mfa/verify', pending.headers, { code: farCode });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_mfa_code');

    // ±1 step of drift is accepted.
    const code = totpAt(secret, new Date(t.clock.now().getTime() - 30_000));
    const verified = await post('/auth/mfa/verify', pending.headers, { code });
    expect(verified.statusCode).toBe(200);
    const full = signed(verified);
    expect(full.cookie).not.toBe('');
    expect(full.cookie).not.toBe(pending.cookie);
    expect(full.csrf).not.toBe(pending.csrf);
    expect((await getSession(pending.headers.cookie)).statusCode).toBe(401);
    const ok = await getSession(full.headers.cookie);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().csrfToken).toBe(full.csrf);

    const again = await post('/auth/mfa/verify', full.headers, { code });
    expect(again.statusCode).toBe(409);

    // The same code cannot be replayed within its window.
    const second = await signIn(t.app, user.email);
    const replay = await post('/auth/mfa/verify', second.headers, { code });
    expect(replay.statusCode).toBe(401);
    const current = await post('/auth/mfa/verify', second.headers, { code: totpAt(secret, t.clock.now()) });
    expect(current.statusCode).toBe(200);
    // Not even a code of an earlier step.
    t.clock.advance(30_000);
    const third = await signIn(t.app, user.email);
    const older = totpAt(secret, new Date(t.clock.now().getTime() - 30_000));
    expect((await post('/auth/mfa/verify', third.headers, { code: older })).statusCode).toBe(401);
    t.clock.advance(60_000);
    expect(
      (await post('/auth/mfa/verify', third.headers, { code: totpAt(secret, t.clock.now()) })).statusCode,
    ).toBe(200);
  });

  it('locks the account after repeated wrong codes', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const { secret } = await withMfa(user.email);
    const pending = await signIn(t.app, user.email);
    const bad = totpAt(secret, new Date(t.clock.now().getTime() + 10 * 60_000));
    const statuses: number[] = [];
    for (let i = 0; i < t.ctx.config.lockoutThreshold; i++) {
      statuses.push((await post('/auth/mfa/verify', pending.headers, { code: bad })).statusCode);
    }
    expect(statuses.at(-1)).toBe(423);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    // The pending session is gone and the password alone no longer helps.
    const good = await post('/auth/mfa/verify', pending.headers, { code: totpAt(secret, t.clock.now()) });
    expect(good.statusCode).toBe(401);
    expect((await signIn(t.app, user.email)).res.statusCode).toBe(423);
  });

  it('disables MFA with a valid code', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx));
    const { secret, session } = await withMfa(user.email);
    expect((await post('/auth/mfa/disable', {}, { code: '000000' })).statusCode).toBe(401);
    expect((await post('/auth/mfa/disable', session.headers, {})).statusCode).toBe(400);
    const bad = totpAt(secret, new Date(t.clock.now().getTime() + 10 * 60_000));
    expect((await post('/auth/mfa/disable', session.headers, { code: bad })).statusCode).toBe(400);
    const ok = await post('/auth/mfa/disable', session.headers, { code: totpAt(secret, t.clock.now()) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.mfaEnabled).toBe(false);
    expect((await signIn(t.app, user.email)).res.json().mfa).toBe('none');
  });
});

describe('organization-mandated MFA', () => {
  it('PATCH /organizations/{id}/security walks 401, 400, 403, 404, 200', async () => {
    const org = await createOrg(t.ctx);
    const other = await createOrg(t.ctx);
    const admin = await loginUser(t.ctx, org, ['org_admin']);
    const analyst = await loginUser(t.ctx, org, ['analyst']);
    const otherAdmin = await loginUser(t.ctx, other, ['org_admin']);
    const platform = await loginUser(t.ctx, other, ['platform_admin']);
    const url = `/api/v1/organizations/${org.id}/security`;
    const patch = (headers: Record<string, string>, payload: unknown, u = url) =>
      t.app.inject({ method: 'PATCH', url: u, headers, payload: payload as object });

    expect((await patch({}, { mfaRequired: true })).statusCode).toBe(401);
    expect((await patch(admin.auth, { mfaRequired: 'yes' })).statusCode).toBe(400);
    expect((await patch(analyst.auth, { mfaRequired: true })).json().code).toBe('role_required');
    const foreign = await patch(otherAdmin.auth, { mfaRequired: true });
    expect(foreign.statusCode).toBe(403);
    const missing = await patch(
      admin.auth,
      { mfaRequired: true },
      `/api/v1/organizations/${crypto.randomUUID()}/security`,
    );
    expect(missing.statusCode).toBe(404);

    const memberSession = await signIn(t.app, analyst.email);
    expect((await getSession(memberSession.headers.cookie)).statusCode).toBe(200);

    const ok = await patch(admin.auth, { mfaRequired: true });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ id: org.id, mfaRequired: true });
    // Takes effect at once: the member's existing session must enrol now.
    const pendingNow = await getSession(memberSession.headers.cookie);
    expect(pendingNow.statusCode).toBe(401);
    expect(pendingNow.json().mfa).toBe('enroll');

    const byPlatform = await patch(platform.auth, { mfaRequired: false });
    expect(byPlatform.statusCode).toBe(200);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'details'])
      .where('action', '=', 'organization.security.update')
      .where('object_id', '=', org.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.actor_user_id)).toEqual([admin.id, platform.id]);
  });

  it('forces enrolment at sign-in, then grants a full session after activation', async () => {
    const org = await createOrg(t.ctx, { mfaRequired: true });
    const user = await loginUser(t.ctx, org);
    const pending = await signIn(t.app, user.email);
    expect(pending.res.json()).toMatchObject({
      mfa: 'enroll',
      user: { organization: { mfaRequired: true } },
    });
    expect((await getSession(pending.headers.cookie)).json().mfa).toBe('enroll');
    const tokens = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: pending.headers });
    expect(tokens.statusCode).toBe(401);
    expect((await post('/auth/mfa/verify', pending.headers, { code: '123456' })).statusCode).toBe(401);

    const enrolled = await post('/auth/mfa/enroll', pending.headers);
    expect(enrolled.statusCode).toBe(200);
    const secret = enrolled.json().secret as string;
    const activated = await post('/auth/mfa/activate', pending.headers, {
      code: totpAt(secret, t.clock.now()),
    });
    expect(activated.statusCode).toBe(200);
    const full = signed(activated);
    expect(full.cookie).not.toBe(pending.cookie);
    expect((await getSession(full.headers.cookie)).statusCode).toBe(200);
    expect((await getSession(pending.headers.cookie)).statusCode).toBe(401);

    // The organization's policy cannot be opted out of.
    t.clock.advance(30_000);
    const off = await post('/auth/mfa/disable', full.headers, { code: totpAt(secret, t.clock.now()) });
    expect(off.statusCode).toBe(403);
    expect(off.json().code).toBe('mfa_required_by_organization');

    // Next sign-in asks for the code.
    const next = await signIn(t.app, user.email);
    expect(next.res.json().mfa).toBe('verify');
    expect(next.res.cookies.find((c) => c.name === SESSION_COOKIE)).toBeDefined();
  });
});
