import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/support/context.js';
import { createAgreement, createOrg, createUser } from '../../../test/support/factories.js';

describe('agreement reads are audited', () => {
  it('records get, list and history reads with the basis', async () => {
    const t = await createTestApp();
    const a = await createOrg(t.ctx);
    const b = await createOrg(t.ctx);
    const reader = await createUser(t.ctx, b, ['analyst']);
    const { id } = await createAgreement(t.ctx, { parties: [a.id, b.id] });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/agreements/${id}`, headers: reader.auth }))
        .statusCode,
    ).toBe(200);
    await t.app.inject({ method: 'GET', url: `/api/v1/agreements/${id}/history`, headers: reader.auth });
    await t.app.inject({ method: 'GET', url: `/api/v1/agreements?party=${a.id}`, headers: reader.auth });
    const entries = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', id)
      .where('action', '=', 'agreement.read')
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => [e.details.via, e.basis, e.actor_org_id])).toEqual([
      ['get', 'party', b.id],
      ['history', 'party', b.id],
      ['list', 'party', b.id],
    ]);
  });
});
