import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import {
  createAgreement,
  createOrg,
  createRecord,
  createUser,
  type TestOrg,
  type TestUser,
} from '../../../test/support/factories.js';

describe('GET /records/export', () => {
  let t: TestApp;
  let owner: TestOrg;
  let partnerUser: TestUser;
  let agreementId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createOrg(t.ctx);
    const partner = await createOrg(t.ctx);
    const outsider = await createOrg(t.ctx);
    partnerUser = await createUser(t.ctx, partner, ['analyst']);
    agreementId = (await createAgreement(t.ctx, { parties: [owner.id, partner.id], h2Allowed: true })).id;
    ids.person = (await createRecord(t.ctx, owner.id, { properties: { name: ['Readable Person'] } })).id;
    ids.company = (
      await createRecord(t.ctx, owner.id, {
        schema: 'Company',
        properties: { name: ['Readable Company'] },
        dataCategory: 'organizations',
        subjectCategory: null,
      })
    ).id;
    // Readable under the agreement (it allows H2), but H2 data never leaves in a file.
    ids.h2 = (
      await createRecord(t.ctx, owner.id, {
        properties: { name: ['Withheld Person'] },
        handlingCodes: ['H2'],
      })
    ).id;
    ids.red = (
      await createRecord(t.ctx, owner.id, { properties: { name: ['Red Person'] }, tlp: 'TLP:RED' })
    ).id;
    ids.offScope = (
      await createRecord(t.ctx, owner.id, {
        properties: { name: ['Cyber Person'] },
        crimeAreas: ['cybercrime'],
      })
    ).id;
    ids.outsider = (await createRecord(t.ctx, outsider.id, { properties: { name: ['Outsider Person'] } })).id;
    ids.ownH2 = (
      await createRecord(t.ctx, partner.id, {
        properties: { name: ['Own H2 Person'] },
        handlingCodes: ['H2'],
      })
    ).id;
  });

  const exportAs = (user: TestUser | null, query: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/records/export?${query}`, headers: user ? user.auth : {} });

  it('walks 401 → 400 → 200 and exports FtM lines of exactly the readable records, H2 withheld', async () => {
    expect((await exportAs(null, 'format=ftm')).statusCode).toBe(401);
    expect((await exportAs(partnerUser, 'format=xml')).statusCode).toBe(400);
    expect((await exportAs(partnerUser, 'format=ftm&ids=nope')).statusCode).toBe(400);

    const res = await exportAs(partnerUser, `format=ftm&owner=${owner.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="entente-export-.*\.ftm\.jsonl"$/,
    );
    expect(res.headers['x-entente-export-withheld']).toBe('1');
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; schema: string });
    expect(lines.map((l) => l.id).sort()).toEqual([ids.person, ids.company].sort());

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['object_id', 'basis', 'basis_ref', 'actor_org_id', 'details'])
      .where('action', '=', 'record.exported')
      .where('actor_user_id', '=', partnerUser.id)
      .where('object_id', 'in', Object.values(ids))
      .execute();
    expect(audit.map((a) => a.object_id).sort()).toEqual([ids.person, ids.company].sort());
    for (const a of audit) {
      expect(a).toMatchObject({ basis: 'agreement', basis_ref: agreementId, details: { format: 'ftm' } });
    }
  });

  it('exports STIX, MISP and CSV of the same selection', async () => {
    for (const format of ['stix', 'misp', 'csv'] as const) {
      const res = await exportAs(partnerUser, `format=${format}&owner=${owner.id}`);
      expect(res.statusCode, format).toBe(200);
      expect(res.headers['x-entente-export-withheld']).toBe('1');
      expect(res.headers['x-entente-export-count']).toBe('2');
      expect(res.body).toContain('Readable Person');
      // MISP has no object for a company: the exporter leaves such records out of the event.
      if (format !== 'misp') expect(res.body).toContain('Readable Company');
      for (const hidden of ['Withheld Person', 'Red Person', 'Cyber Person'])
        expect(res.body).not.toContain(hidden);
      if (format !== 'csv') expect(() => JSON.parse(res.body)).not.toThrow();
    }
    const stix = JSON.parse((await exportAs(partnerUser, `format=stix&owner=${owner.id}`)).body);
    expect(stix.type).toBe('bundle');
  });

  it('exports chosen ids: the reader’s own H2 records leave, others’ are withheld, unreadable ones are absent', async () => {
    const chosen = [ids.ownH2, ids.h2, ids.outsider, ids.red].join(',');
    const res = await exportAs(partnerUser, `format=ftm&ids=${chosen}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-entente-export-withheld']).toBe('1');
    const exported = res.body
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(exported).toEqual([ids.ownH2]);
  });
});
