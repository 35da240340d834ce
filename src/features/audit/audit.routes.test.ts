import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import { createOrg, createUser, type TestOrg, type TestUser, uniq } from '../../../test/support/factories.js';
import { appendAudit } from '../../platform/audit/audit.js';

interface Listed {
  items: Array<{
    seq: string;
    at: string;
    actor: { userId: string | null; orgId: string | null; email?: string; orgName?: string };
    action: string;
    objectType: string | null;
    objectId: string | null;
    ownerOrgId: string | null;
    outcome: string;
    details: Record<string, unknown>;
    hash: string;
  }>;
  total: number;
  limit: number;
  offset: number;
}

describe('audit routes', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let orgA: TestOrg;
  let orgB: TestOrg;
  let orgC: TestOrg;
  let auditorA: TestUser;
  let analystA: TestUser;
  let adminOnly: TestUser;
  let superAuditor: TestUser;
  let actorB: TestUser;
  /** An object type only this run uses, so the shared database's other entries stay out of view. */
  let objectType: string;
  const t0 = new Date('2026-06-01T12:00:00Z');

  async function list(user: TestUser, query: Record<string, string | number>): Promise<Listed> {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/audit',
      query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
      headers: user.auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Listed>();
  }

  beforeAll(async () => {
    t = await createTestApp(t0);
    app = t.app;
    const { ctx } = t;
    [orgA, orgB, orgC] = await Promise.all([createOrg(ctx), createOrg(ctx), createOrg(ctx)]);
    [auditorA, analystA, adminOnly, superAuditor, actorB] = await Promise.all([
      createUser(ctx, orgA, ['auditor']),
      createUser(ctx, orgA, ['analyst']),
      createUser(ctx, orgC, ['platform_admin']),
      createUser(ctx, orgC, ['platform_admin', 'auditor']),
      createUser(ctx, orgB, ['analyst']),
    ]);
    objectType = `test-object-${uniq()}`;
    const entry = (actor: TestUser | null, actorOrg: TestOrg, owner: TestOrg, objectId: string) => ({
      action: 'record.read',
      actorUserId: actor?.id ?? null,
      actorOrgId: actorOrg.id,
      objectType,
      objectId,
      ownerOrgId: owner.id,
      basis: 'agreement',
      outcome: 'allow' as const,
      details: { objectId },
    });
    // 1: A reads B's object; 2: B reads A's; 3: B reads C's (not A's business); 4: C's own.
    await appendAudit(ctx.db, t0, [entry(analystA, orgA, orgB, 'o1')]);
    await appendAudit(ctx.db, new Date(t0.getTime() + 60_000), [entry(actorB, orgB, orgA, 'o2')]);
    await appendAudit(ctx.db, new Date(t0.getTime() + 120_000), [
      entry(actorB, orgB, orgC, 'o3'),
      { ...entry(null, orgC, orgC, 'o4'), action: 'record.retracted', outcome: 'success' as const },
    ]);
  });

  it('401 without credentials', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/audit' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const verify = await app.inject({ method: 'GET', url: '/api/v1/audit/verify' });
    expect(verify.statusCode).toBe(401);
  });

  it('400 on invalid filters, naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['outcome=maybe', 'querystring.outcome'],
      ['limit=0', 'querystring.limit'],
      ['limit=201', 'querystring.limit'],
      ['actorOrg=not-a-uuid', 'querystring.actorOrg'],
      ['from=yesterday', 'querystring.from'],
      ['unknown=1', 'querystring.unknown'],
      ['from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z', 'querystring.to'],
    ];
    for (const [qs, field] of cases) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/audit?${qs}`, headers: auditorA.auth });
      expect(res.statusCode, qs).toBe(400);
      const body = res.json<{ code: string; errors: Array<{ field: string }> }>();
      expect(body.code).toBe('validation_failed');
      expect(body.errors.map((e) => e.field)).toContain(field);
    }
  });

  it('403 for roles other than auditor (platform_admin alone included), and the refusal is audited', async () => {
    for (const user of [analystA, adminOnly]) {
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: user.auth });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('role_required');
      const verify = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: user.auth });
      expect(verify.statusCode).toBe(403);
    }
    const denied = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('actor_user_id', '=', analystA.id)
      .where('outcome', '=', 'deny')
      .orderBy('seq')
      .execute();
    expect(denied).toEqual([
      { action: 'audit.read', outcome: 'deny' },
      { action: 'audit.verify', outcome: 'deny' },
    ]);
  });

  it('403 for an auditor token without the audit:read scope', async () => {
    const scoped = await createUser(t.ctx, orgA, ['auditor'], { scopes: ['records:read'] });
    const res = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: scoped.auth });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ code: string }>().code).toBe('insufficient_scope');
  });

  it("an organization's auditor sees what its organization did or owns, newest first, with names", async () => {
    const body = await list(auditorA, { objectType });
    expect(body.total).toBe(2);
    expect(body.limit).toBe(50);
    expect(body.offset).toBe(0);
    expect(body.items.map((i) => i.objectId)).toEqual(['o2', 'o1']);
    const [o2, o1] = body.items;
    expect(o1?.actor).toEqual({
      userId: analystA.id,
      orgId: orgA.id,
      email: analystA.email,
      orgName: orgA.name,
    });
    expect(o2?.actor).toEqual({ userId: actorB.id, orgId: orgB.id, email: actorB.email, orgName: orgB.name });
    expect(o1).toMatchObject({
      action: 'record.read',
      objectType,
      ownerOrgId: orgB.id,
      outcome: 'allow',
      details: { objectId: 'o1' },
      at: t0.toISOString(),
    });
    expect(o1?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(BigInt(o2?.seq ?? 0)).toBeGreaterThan(BigInt(o1?.seq ?? 0));
  });

  it('a platform admin who is also an auditor sees every entry', async () => {
    const body = await list(superAuditor, { objectType });
    expect(body.total).toBe(4);
    expect(body.items.map((i) => i.objectId).sort()).toEqual(['o1', 'o2', 'o3', 'o4']);
    const system = body.items.find((i) => i.objectId === 'o4');
    expect(system?.actor).toEqual({ userId: null, orgId: orgC.id, orgName: orgC.name });
  });

  it('filters by action, actor organization, object, outcome and time, in the database', async () => {
    const ids = async (user: TestUser, q: Record<string, string>) =>
      (await list(user, { objectType, ...q })).items.map((i) => i.objectId).sort();
    expect(await ids(superAuditor, { action: 'record.retracted' })).toEqual(['o4']);
    expect(await ids(superAuditor, { actorOrg: orgB.id })).toEqual(['o2', 'o3']);
    expect(await ids(auditorA, { actorOrg: orgB.id })).toEqual(['o2']);
    expect(await ids(superAuditor, { objectId: 'o3' })).toEqual(['o3']);
    expect(await ids(superAuditor, { outcome: 'success' })).toEqual(['o4']);
    expect(await ids(superAuditor, { from: new Date(t0.getTime() + 60_000).toISOString() })).toEqual([
      'o2',
      'o3',
      'o4',
    ]);
    expect(await ids(superAuditor, { to: new Date(t0.getTime() + 60_000).toISOString() })).toEqual([
      'o1',
      'o2',
    ]);
    expect(await ids(auditorA, { objectId: 'o4' })).toEqual([]);
  });

  it('pages with limit and offset and keeps the total', async () => {
    const first = await list(superAuditor, { objectType, limit: 3, offset: 0 });
    const second = await list(superAuditor, { objectType, limit: 3, offset: 3 });
    expect(first.total).toBe(4);
    expect(second.total).toBe(4);
    expect(first.items).toHaveLength(3);
    expect(second.items).toHaveLength(1);
    const all = [...first.items, ...second.items].map((i) => i.objectId);
    expect(new Set(all).size).toBe(4);
    expect(second.limit).toBe(3);
    expect(second.offset).toBe(3);
  });

  it('audits each read of the log, with the filters used', async () => {
    const objectId = `probe-${uniq()}`;
    await list(auditorA, { objectType, objectId });
    const reads = await list(auditorA, { action: 'audit.read', actorOrg: orgA.id, objectType: 'audit_log' });
    const mine = reads.items.find(
      (i) => i.details.filters && (i.details.filters as { objectId?: string }).objectId === objectId,
    );
    expect(mine).toMatchObject({
      action: 'audit.read',
      outcome: 'allow',
      ownerOrgId: orgA.id,
      actor: { userId: auditorA.id, orgId: orgA.id },
      details: { scope: 'organization', filters: { objectType, objectId }, returned: 0, total: 0 },
    });
  });

  it('verify: an auditor gets the chain status and head hash, and the check is audited', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditorA.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ ok: boolean; checked: number; headHash: string; broken?: unknown }>();
    expect(body.ok).toBe(true);
    expect(body.broken).toBeUndefined();
    expect(body.checked).toBeGreaterThanOrEqual(4);
    expect(body.headHash).toMatch(/^[0-9a-f]{64}$/);
    const logged = await list(auditorA, { action: 'audit.verify', actorOrg: orgA.id });
    expect(logged.items[0]).toMatchObject({
      outcome: 'success',
      actor: { userId: auditorA.id },
      details: { ok: true, headHash: body.headHash },
    });
  });

  it('documents both routes in the OpenAPI description', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/audit', '/api/v1/audit/verify']));
  });
});
