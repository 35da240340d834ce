import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import { createOrg, createUser, type TestUser, uniq } from '../../../test/support/factories.js';

describe('organizations directory', () => {
  let t: TestApp;
  let analyst: TestUser;
  let admin: TestUser;
  let regional: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    regional = await createOrg(t.ctx, { kind: 'regional', agencyType: 'coordination' });
    const national = await createOrg(t.ctx, { memberOf: [regional.id], countries: ['GH'] });
    analyst = await createUser(t.ctx, national, ['analyst']);
    admin = await createUser(t.ctx, regional, ['platform_admin']);
  });

  it('401 anonymous, 200 for any signed-in user with memberships', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/organizations' })).statusCode).toBe(401);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${regional.id}`,
      headers: analyst.auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().members).toHaveLength(1);
    expect(res.json().permissions).toEqual([]);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/organizations?country=GH&kind=national',
      headers: analyst.auth,
    });
    expect(list.json().items.length).toBeGreaterThan(0);
    expect(list.json().items.every((o: { countries: string[] }) => o.countries.includes('GH'))).toBe(true);
  });

  it('400 on bad input, 403 for non-admins, 201 for platform admins, 409 on a taken slug', async () => {
    const slug = `new-${uniq()}`;
    const body = {
      slug,
      name: 'Harbour Customs Service',
      kind: 'national',
      region: 'africa',
      countries: ['GH'],
      agencyType: 'customs',
      crimeAreas: ['counterfeiting'],
      memberOf: [regional.id],
    };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: admin.auth,
      payload: { ...body, countries: ['Ghana'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.countries.0');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/organizations',
          headers: analyst.auth,
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: admin.auth,
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().memberOf[0].id).toBe(regional.id);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/organizations',
          headers: admin.auth,
          payload: body,
        })
      ).statusCode,
    ).toBe(409);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/organizations/00000000-0000-4000-8000-000000000000',
      headers: analyst.auth,
    });
    expect(missing.statusCode).toBe(404);
  });
});
