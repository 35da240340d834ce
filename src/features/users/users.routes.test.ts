import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerRuntime } from '../../../test/support/context.js';
import { createOrg, createUser as createTestUser, type TestUser } from '../../../test/support/factories.js';
import type { AppContext } from '../../context.js';
import type { Role } from '../../domain/vocabulary.js';
import { type AuthTestApp, authTestApp, PASSWORD, passwordHash, signIn } from './auth.test-helpers.js';
import { newTotpSecret, storeMfa } from './mfa.js';
import { createUser } from './users.service.js';

/** A user who can sign in with PASSWORD (plus a Bearer token from the factory). */
async function loginUser(
  ctx: AppContext,
  org: { id: string },
  roles: Role[] = ['analyst'],
  o: { scopes?: string[] } = {},
): Promise<TestUser> {
  return createTestUser(ctx, org, roles, { passwordHash: await passwordHash(ctx), ...o });
}

let t: AuthTestApp;
beforeAll(async () => {
  t = await authTestApp((await workerRuntime()).ctx);
});
afterAll(async () => {
  await t.app.close();
});

const newPassword = 'a long enough passphrase';

describe('GET /users', () => {
  it('walks 401 → 400 → 403 → 200, scoped to the own organization for org admins', async () => {
    const org = await createOrg(t.ctx);
    const other = await createOrg(t.ctx);
    const admin = await loginUser(t.ctx, org, ['org_admin']);
    const member = await loginUser(t.ctx, org, ['analyst']);
    const outsider = await loginUser(t.ctx, other, ['analyst']);
    const platform = await loginUser(t.ctx, other, ['platform_admin']);
    const narrow = await loginUser(t.ctx, org, ['org_admin'], { scopes: ['records:read'] });
    const get = (headers: Record<string, string>, qs = '') =>
      t.app.inject({ method: 'GET', url: `/api/v1/users${qs}`, headers });

    expect((await get({})).statusCode).toBe(401);
    expect((await get({}, '?limit=0')).statusCode).toBe(401);
    expect((await get(admin.auth, '?limit=0')).statusCode).toBe(400);
    const analyst = await get(member.auth);
    expect(analyst.statusCode).toBe(403);
    expect(analyst.json().code).toBe('role_required');
    const scoped = await get(narrow.auth);
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json().code).toBe('insufficient_scope');

    const own = await get(admin.auth);
    expect(own.statusCode).toBe(200);
    const ids = own.json().items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([admin.id, member.id, narrow.id]));
    expect(ids).not.toContain(outsider.id);
    expect(own.json().total).toBe(3);
    const memberRow = own.json().items.find((u: { id: string }) => u.id === member.id);
    expect(memberRow).toMatchObject({ roles: ['analyst'], disabled: false, organization: { id: org.id } });
    expect(memberRow.permissions).toContain('users.disable');
    expect(own.body).not.toContain('password');

    // Asking for another organization gives nothing to an org admin.
    expect((await get(admin.auth, `?organization=${other.id}`)).json().total).toBe(0);
    const all = await get(platform.auth, `?organization=${org.id}`);
    expect(all.json().total).toBe(3);
    const search = await get(platform.auth, `?organization=${org.id}&q=${encodeURIComponent(member.email)}`);
    expect(search.json().items.map((u: { id: string }) => u.id)).toEqual([member.id]);
  });
});

describe('POST /users', () => {
  it('walks 401 → 400 → 403 → 409 → 201, and the new user can sign in', async () => {
    const org = await createOrg(t.ctx);
    const other = await createOrg(t.ctx);
    const admin = await loginUser(t.ctx, org, ['org_admin']);
    const platform = await loginUser(t.ctx, other, ['platform_admin']);
    const email = `New.User-${org.id.slice(0, 8)}@Test.Entente.Example`;
    const body = { email, displayName: 'New User', password: newPassword, roles: ['analyst'] };
    const post = (headers: Record<string, string>, payload: unknown) =>
      t.app.inject({ method: 'POST', url: '/api/v1/users', headers, payload: payload as object });

    expect((await post({}, body)).statusCode).toBe(401);
    const short = await post(admin.auth, { ...body, password: 'elevenchars' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0]).toMatchObject({ field: 'password', rule: 'minLength' });
    expect((await post(admin.auth, { ...body, email: 'not-an-email' })).statusCode).toBe(400);
    expect((await post(admin.auth, { ...body, roles: ['wizard'] })).statusCode).toBe(400);
    expect((await post(admin.auth, { ...body, roles: [] })).statusCode).toBe(400);

    const elsewhere = await post(admin.auth, { ...body, organizationId: other.id });
    expect(elsewhere.statusCode).toBe(403);
    const escalate = await post(admin.auth, { ...body, roles: ['platform_admin'] });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json().code).toBe('role_not_allowed');

    const created = await post(admin.auth, body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: email.toLowerCase(),
      roles: ['analyst'],
      organization: { id: org.id },
      mfaEnabled: false,
    });
    expect(created.body).not.toContain(newPassword);
    const dup = await post(admin.auth, { ...body, email: email.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('email_taken');

    const signedIn = await signIn(t.app, email, newPassword);
    expect(signedIn.res.statusCode).toBe(200);

    // A platform admin creates anywhere and may grant platform_admin.
    const byPlatform = await post(platform.auth, {
      ...body,
      email: `pa-${org.id.slice(0, 8)}@test.entente.example`,
      roles: ['platform_admin', 'auditor'],
      organizationId: org.id,
    });
    expect(byPlatform.statusCode).toBe(201);

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'details'])
      .where('action', '=', 'user.create')
      .where('object_id', 'in', [created.json().id, byPlatform.json().id])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.actor_user_id)).toEqual([admin.id, platform.id]);
    expect(JSON.stringify(audit)).not.toContain(newPassword);
    const outbox = await t.ctx.db
      .selectFrom('outbox')
      .select('topic')
      .where('topic', '=', 'user.created')
      .where(sql<boolean>`payload @> ${JSON.stringify({ userId: created.json().id })}::jsonb`)
      .execute();
    expect(outbox).toHaveLength(1);
  });
});

describe('PATCH /users/{id}', () => {
  it('walks 401 → 400 → 404 → 403 → 200', async () => {
    const org = await createOrg(t.ctx);
    const admin = await loginUser(t.ctx, org, ['org_admin']);
    const member = await loginUser(t.ctx, org, ['analyst']);
    const stranger = await loginUser(t.ctx, await createOrg(t.ctx), ['analyst']);
    const platformInOrg = await loginUser(t.ctx, org, ['platform_admin']);
    const patch = (id: string, headers: Record<string, string>, payload: unknown) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers, payload: payload as object });

    expect((await patch(member.id, {}, { displayName: 'X' })).statusCode).toBe(401);
    expect((await patch(member.id, admin.auth, {})).statusCode).toBe(400);
    expect((await patch(member.id, admin.auth, { roles: ['wizard'] })).statusCode).toBe(400);
    expect((await patch(stranger.id, admin.auth, { displayName: 'X' })).statusCode).toBe(404);
    expect((await patch(platformInOrg.id, admin.auth, { displayName: 'X' })).statusCode).toBe(403);
    expect((await patch(member.id, admin.auth, { roles: ['platform_admin'] })).statusCode).toBe(403);
    expect((await patch(admin.id, admin.auth, { disabled: true })).json().code).toBe('cannot_disable_self');
    expect((await patch(admin.id, admin.auth, { roles: ['org_admin', 'auditor'] })).json().code).toBe(
      'cannot_change_own_roles',
    );

    const ok = await patch(member.id, admin.auth, {
      roles: ['investigator', 'liaison'],
      displayName: 'Investigator',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ roles: ['investigator', 'liaison'], displayName: 'Investigator' });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('object_id', '=', member.id)
      .where('action', 'like', 'user.%')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({
      changes: { roles: { from: ['analyst'], to: ['investigator', 'liaison'] } },
    });
  });

  it('disabling revokes every session and token at once; enabling lets the user back in', async () => {
    const org = await createOrg(t.ctx);
    const admin = await loginUser(t.ctx, org, ['org_admin']);
    const member = await loginUser(t.ctx, org, ['analyst']);
    const s = await signIn(t.app, member.email);
    const session = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: s.headers.cookie } });
    const viaToken = () => t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: member.auth });
    expect((await session()).statusCode).toBe(200);
    expect((await viaToken()).statusCode).toBe(200);

    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${member.id}`,
      headers: admin.auth,
      payload: { disabled: true },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().disabled).toBe(true);
    expect((await session()).statusCode).toBe(401);
    expect((await viaToken()).statusCode).toBe(401);
    expect((await signIn(t.app, member.email)).res.statusCode).toBe(401);
    const live = await t.ctx.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', member.id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live).toHaveLength(0);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('object_id', '=', member.id)
      .where('action', '=', 'user.disable')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ revokedSessions: 1, revokedTokens: 1 });

    const on = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${member.id}`,
      headers: admin.auth,
      payload: { disabled: false },
    });
    expect(on.json().disabled).toBe(false);
    expect((await signIn(t.app, member.email)).res.statusCode).toBe(200);
    // Revoked credentials stay revoked.
    expect((await viaToken()).statusCode).toBe(401);
  });
});

describe('PATCH /users/{id} resetMfa', () => {
  it('removes a lost second factor and ends the sessions it vouched for; never for oneself', async () => {
    const org = await createOrg(t.ctx, { mfaRequired: true });
    const admin = await loginUser(t.ctx, org, ['org_admin']);
    const member = await loginUser(t.ctx, org, ['analyst']);
    await t.ctx.db
      .updateTable('users')
      .set({
        mfa_enabled: true,
        mfa_secret: storeMfa(t.ctx.config.secretKey, member.id, newTotpSecret(), null),
      })
      .where('id', '=', member.id)
      .execute();
    const pending = await signIn(t.app, member.email);
    expect(pending.res.json().mfa).toBe('verify');

    const self = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      headers: admin.auth,
      payload: { resetMfa: true },
    });
    expect(self.json().code).toBe('cannot_reset_own_mfa');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${member.id}`,
      headers: admin.auth,
      payload: { resetMfa: false },
    });
    expect(bad.statusCode).toBe(400);

    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${member.id}`,
      headers: admin.auth,
      payload: { resetMfa: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().mfaEnabled).toBe(false);
    const old = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: pending.headers.cookie },
    });
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('unauthenticated');
    // The organization still requires MFA: the next sign-in enrols again.
    expect((await signIn(t.app, member.email)).res.json().mfa).toBe('enroll');
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('object_id', '=', member.id)
      .where('action', '=', 'user.mfa_reset')
      .execute();
    expect(audit).toEqual([{ action: 'user.mfa_reset', actor_user_id: admin.id }]);
  });
});

describe('createUser (CLI)', () => {
  it('creates a user by organization slug or id, enforcing the password rule', async () => {
    const org = await createOrg(t.ctx);
    const a = await createUser(t.ctx, {
      organization: org.slug,
      email: `cli-a-${org.id.slice(0, 8)}@test.entente.example`,
      displayName: 'CLI A',
      password: PASSWORD,
      roles: ['org_admin'],
    });
    const b = await createUser(t.ctx, {
      organization: org.id,
      email: `cli-b-${org.id.slice(0, 8)}@test.entente.example`,
      displayName: 'CLI B',
      password: PASSWORD,
      roles: ['viewer'],
    });
    expect((await signIn(t.app, a.email)).res.json().user.organization.id).toBe(org.id);
    expect((await signIn(t.app, b.email)).res.json().user.roles).toEqual(['viewer']);
    const row = await t.ctx.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    const base = { organization: org.slug, displayName: 'X', roles: ['analyst' as const] };
    await expect(
      createUser(t.ctx, {
        ...base,
        email: `weak-${org.id.slice(0, 8)}@test.entente.example`,
        password: 'short',
      }),
    ).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
    await expect(createUser(t.ctx, { ...base, email: a.email, password: PASSWORD })).rejects.toMatchObject({
      status: 409,
    });
    await expect(
      createUser(t.ctx, {
        ...base,
        organization: 'no-such-org',
        email: 'x@test.entente.example',
        password: PASSWORD,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
