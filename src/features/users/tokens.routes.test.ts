import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerRuntime } from '../../../test/support/context.js';
import { createOrg, createUser, type TestUser } from '../../../test/support/factories.js';
import type { AppContext } from '../../context.js';
import type { Role } from '../../domain/vocabulary.js';
import { Problem } from '../../platform/http/problem.js';
import { type AuthTestApp, authTestApp, passwordHash, signIn } from './auth.test-helpers.js';
import { createApiToken } from './tokens.service.js';

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

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API tokens', () => {
  it('walks 401 → 400 → 403 → 201 and shows the secret only once', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx), ['analyst']);
    const create = (headers: Record<string, string>, payload: unknown) =>
      t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: payload as object });

    expect((await create({}, { name: 'x', scopes: ['records:read'], expiresInDays: 30 })).statusCode).toBe(
      401,
    );
    expect((await create(user.auth, { name: 'x', scopes: ['nope'], expiresInDays: 30 })).statusCode).toBe(
      400,
    );
    const tooLong = await create(user.auth, { name: 'x', scopes: ['records:read'], expiresInDays: 366 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('body.expiresInDays');
    expect((await create(user.auth, { name: 'x', scopes: [], expiresInDays: 30 })).statusCode).toBe(400);

    // An analyst cannot grant scopes the analyst role does not allow.
    for (const scope of ['audit:read', 'admin', 'agreements:write']) {
      const refused = await create(user.auth, {
        name: 'x',
        scopes: ['records:read', scope],
        expiresInDays: 30,
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('scope_not_allowed');
    }

    const res = await create(user.auth, {
      name: 'nightly export',
      scopes: ['records:read', 'records:write'],
      expiresInDays: 30,
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.token).toMatch(/^ent_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    expect(created.scopes).toEqual(['records:read', 'records:write']);
    expect(new Date(created.expiresAt).getTime()).toBe(t.clock.now().getTime() + 30 * 86_400_000);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: user.auth });
    expect(list.statusCode).toBe(200);
    const mine = list.json().items.find((x: { id: string }) => x.id === created.id);
    expect(mine).toMatchObject({ name: 'nightly export', prefix: created.prefix, status: 'active' });
    expect(list.body).not.toContain(created.token);

    // Never stored or audited in clear.
    const stored = await t.ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', created.id).execute();
    expect(JSON.stringify(stored)).not.toContain(created.token);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('object_id', '=', created.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['token.create']);
    expect(JSON.stringify(audit)).not.toContain(created.prefix);

    // The new token works, with exactly its scopes.
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: bearer(created.token),
    });
    expect(session.statusCode).toBe(200);
    const noAdmin = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: bearer(created.token),
    });
    expect(noAdmin.statusCode).toBe(403);
    expect(noAdmin.json().code).toBe('insufficient_scope');
  });

  it('lets a session create any scope the roles allow, and a token nothing beyond its own scopes', async () => {
    const admin = await loginUser(t.ctx, await createOrg(t.ctx), ['org_admin'], {
      scopes: ['admin', 'records:read'],
    });
    const s = await signIn(t.app, admin.email);
    const viaSession = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: s.headers,
      payload: { name: 'a', scopes: ['agreements:write', 'admin'], expiresInDays: 365 },
    });
    expect(viaSession.statusCode).toBe(201);
    const viaToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin.auth,
      payload: { name: 'b', scopes: ['agreements:write'], expiresInDays: 10 },
    });
    expect(viaToken.statusCode).toBe(403);
    expect(viaToken.json().code).toBe('scope_not_allowed');
  });

  it('rejects revoked and expired tokens with 401', async () => {
    const org = await createOrg(t.ctx);
    const user = await loginUser(t.ctx, org, ['analyst']);
    const mk = async (days: number) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          headers: user.auth,
          payload: { name: `d${days}`, scopes: ['records:read'], expiresInDays: days },
        })
      ).json() as { id: string; token: string };
    const shortLived = await mk(1);
    const toRevoke = await mk(30);
    const get = (token: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(token) });

    expect((await get(toRevoke.token)).statusCode).toBe(200);
    const del = (id: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers });
    expect((await del(toRevoke.id, {})).statusCode).toBe(401);
    expect((await del('not-a-uuid', user.auth)).statusCode).toBe(400);
    // Another organization's member does not see the token.
    const stranger = await loginUser(t.ctx, await createOrg(t.ctx), ['org_admin']);
    expect((await del(toRevoke.id, stranger.auth)).statusCode).toBe(404);
    // A colleague without user administration neither.
    const colleague = await loginUser(t.ctx, org, ['analyst']);
    expect((await del(toRevoke.id, colleague.auth)).statusCode).toBe(404);

    expect((await del(toRevoke.id, user.auth)).statusCode).toBe(204);
    expect((await del(toRevoke.id, user.auth)).statusCode).toBe(204);
    const revoked = await get(toRevoke.token);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('unauthenticated');

    expect((await get(shortLived.token)).statusCode).toBe(200);
    t.clock.advanceDays(1);
    expect((await get(shortLived.token)).statusCode).toBe(401);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: user.auth });
    const status = Object.fromEntries(
      list.json().items.map((x: { id: string; status: string }) => [x.id, x.status]),
    );
    expect(status[shortLived.id]).toBe('expired');
    expect(status[toRevoke.id]).toBe('revoked');
  });

  it("lets an org admin revoke a member's token", async () => {
    const org = await createOrg(t.ctx);
    const member = await loginUser(t.ctx, org, ['analyst']);
    const admin = await loginUser(t.ctx, org, ['org_admin']);
    const created = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: member.auth,
        payload: { name: 'm', scopes: ['records:read'], expiresInDays: 5 },
      })
    ).json();
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${created.id}`,
      headers: admin.auth,
    });
    expect(res.statusCode).toBe(204);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'action'])
      .where('object_id', '=', created.id)
      .where('action', '=', 'token.revoke')
      .execute();
    expect(audit).toEqual([{ actor_user_id: admin.id, action: 'token.revoke' }]);
  });
});

describe('createApiToken (CLI)', () => {
  it('keeps only the scopes the roles allow and rejects bad input', async () => {
    const user = await loginUser(t.ctx, await createOrg(t.ctx), ['analyst']);
    const created = await createApiToken(t.ctx, {
      userEmail: user.email.toUpperCase(),
      name: 'cli',
      scopes: ['records:read', 'records:write', 'audit:read', 'admin'],
      expiresInDays: 90,
    });
    expect(created.scopes).toEqual(['records:read', 'records:write']);
    expect(created.expiresAt.getTime()).toBe(t.clock.now().getTime() + 90 * 86_400_000);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: bearer(created.token),
    });
    expect(res.json().user.id).toBe(user.id);

    await expect(
      createApiToken(t.ctx, { userEmail: user.email, name: 'x', scopes: ['admin'], expiresInDays: 10 }),
    ).rejects.toBeInstanceOf(Problem);
    await expect(
      createApiToken(t.ctx, {
        userEmail: user.email,
        name: 'x',
        scopes: ['records:read'],
        expiresInDays: 400,
      }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      createApiToken(t.ctx, {
        userEmail: 'nobody@nowhere.example',
        name: 'x',
        scopes: ['records:read'],
        expiresInDays: 1,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
