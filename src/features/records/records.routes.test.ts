import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import {
  createAgreement,
  createOrg,
  createRecord,
  createUser,
  type TestUser,
} from '../../../test/support/factories.js';

const validPerson = {
  schema: 'Person',
  properties: { name: ['Ayşe Demir'], nationality: ['TR'], birthDate: ['1979-04'] },
  handling: { tlp: 'TLP:AMBER', codes: ['H0'] },
  evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
  crimeAreas: ['drug_trafficking'],
  purposes: ['criminal_investigation'],
  subjectCategory: 'suspect',
};

describe('records API', () => {
  let t: TestApp;
  let a: TestUser;
  let aViewer: TestUser;
  let b: TestUser;
  let c: TestUser;
  let orgA: { id: string };
  let orgB: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    orgA = await createOrg(t.ctx);
    orgB = await createOrg(t.ctx);
    const orgC = await createOrg(t.ctx);
    a = await createUser(t.ctx, orgA, ['analyst']);
    aViewer = await createUser(t.ctx, orgA, ['viewer']);
    b = await createUser(t.ctx, orgB, ['analyst']);
    c = await createUser(t.ctx, orgC, ['analyst']);
    await createAgreement(t.ctx, { parties: [orgA.id, orgB.id], sunsetAt: new Date('2026-09-01T00:00:00Z') });
  });

  it('401 without credentials, 401 with a bad token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/records' })).statusCode).toBe(401);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/records',
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('400 names the field and rule', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: a.auth,
      payload: { ...validPerson, handling: { tlp: 'TLP:PURPLE', codes: [] } },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.some((e: { field: string }) => e.field.startsWith('body.handling.tlp'))).toBe(true);

    const ftm = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: a.auth,
      payload: { ...validPerson, properties: { name: ['X'], wingspan: ['3m'], birthDate: ['yesterday'] } },
    });
    expect(ftm.statusCode).toBe(400);
    const fields = ftm.json().errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(fields).toContain('properties.wingspan:ftm_property');
    expect(fields).toContain('properties.birthDate.0:ftm_date');

    const grade = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: a.auth,
      payload: { ...validPerson, evaluation: { scheme: 'eu4x4', source: 'E', information: '6' } },
    });
    expect(grade.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'evaluation.source',
      'evaluation.information',
    ]);
  });

  it('403 for a viewer creating, 201 for an analyst', async () => {
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: aViewer.auth,
      payload: validPerson,
    });
    expect(denied.statusCode).toBe(403);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: a.auth,
      payload: validPerson,
    });
    expect(created.statusCode).toBe(201);
    const rec = created.json();
    expect(rec.caption).toBe('Ayşe Demir');
    expect(rec.properties.nationality).toEqual(['tr']);
    expect(rec.dataCategory).toBe('persons');
    expect(rec.permissions).toEqual(['update', 'retract', 'extend', 'review']);
    expect(new Date(rec.expiresAt).getUTCFullYear()).toBe(2031);
  });

  it('a partner reads under the agreement until its sunset; a stranger never (404)', async () => {
    const rec = (
      await t.app.inject({ method: 'POST', url: '/api/v1/records', headers: a.auth, payload: validPerson })
    ).json();
    const byB = await t.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: b.auth });
    expect(byB.statusCode).toBe(200);
    expect(byB.json().access.basis).toBe('agreement');
    expect(byB.json().permissions).toEqual([]);
    expect(byB.json().recipients).toEqual([]);
    const listB = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records?q=ayşe&owner=${orgA.id}`,
      headers: b.auth,
    });
    expect(listB.json().items.map((r: { id: string }) => r.id)).toContain(rec.id);

    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: c.auth })).statusCode,
    ).toBe(404);
    const listC = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records?owner=${orgA.id}`,
      headers: c.auth,
    });
    expect(listC.json().total).toBe(0);

    // The partner may read but not edit: 403; the stranger cannot even tell it exists: 404.
    const patchB = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/records/${rec.id}`,
      headers: b.auth,
      payload: { crimeAreas: ['fraud'] },
    });
    expect(patchB.statusCode).toBe(403);
    const patchC = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/records/${rec.id}`,
      headers: c.auth,
      payload: { crimeAreas: ['fraud'] },
    });
    expect(patchC.statusCode).toBe(404);

    const later = await createTestApp(new Date('2026-09-01T00:00:00Z'));
    expect(
      (await later.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: b.auth }))
        .statusCode,
    ).toBe(404);
    const listAfter = await later.app.inject({
      method: 'GET',
      url: `/api/v1/records?q=ayşe&owner=${orgA.id}`,
      headers: b.auth,
    });
    expect(listAfter.json().items.map((r: { id: string }) => r.id)).not.toContain(rec.id);
    // The owner still sees its record.
    expect(
      (await later.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: a.auth }))
        .statusCode,
    ).toBe(200);
  });

  it('retraction hides the record from partners at once; the owner keeps it', async () => {
    const rec = (
      await t.app.inject({ method: 'POST', url: '/api/v1/records', headers: a.auth, payload: validPerson })
    ).json();
    const retracted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${rec.id}/retract`,
      headers: a.auth,
      payload: { reason: 'Source withdrew the information' },
    });
    expect(retracted.statusCode).toBe(200);
    expect(retracted.json().status).toBe('retracted');
    // The partner who read it learns it was retracted (a tombstone, no content); a stranger still gets 404.
    const tomb = await t.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: b.auth });
    expect(tomb.statusCode).toBe(410);
    const body = tomb.json();
    expect(body.code).toBe('record_retracted');
    expect(body.id).toBe(rec.id);
    expect(body.reason).toBe('Source withdrew the information');
    expect(new Date(body.retractedAt).toISOString()).toBe(t.clock.now().toISOString());
    expect(tomb.body).not.toContain('Demir');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: c.auth })).statusCode,
    ).toBe(404);
    const listB = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records?owner=${orgA.id}`,
      headers: b.auth,
    });
    expect(listB.json().items.map((r: { id: string }) => r.id)).not.toContain(rec.id);
    const own = await t.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: a.auth });
    expect(own.json().retractedReason).toBe('Source withdrew the information');
  });

  it('update bumps the version and refuses a stale one', async () => {
    const rec = (
      await t.app.inject({ method: 'POST', url: '/api/v1/records', headers: a.auth, payload: validPerson })
    ).json();
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/records/${rec.id}`,
      headers: a.auth,
      payload: { version: 1, properties: { name: ['Ayşe Demir', 'A. Demir'] } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(2);
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/records/${rec.id}`,
      headers: a.auth,
      payload: { version: 1, crimeAreas: ['fraud'] },
    });
    expect(stale.statusCode).toBe(409);
  });

  it('TLP:RED and victims reach named recipients only', async () => {
    const red = await createRecord(t.ctx, orgA.id, { tlp: 'TLP:RED' });
    const victim = await createRecord(t.ctx, orgA.id, { subjectCategory: 'victim' });
    const named = await createRecord(t.ctx, orgA.id, {
      tlp: 'TLP:RED',
      subjectCategory: 'victim',
      recipients: [orgB.id],
    });
    for (const id of [red.id, victim.id]) {
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers: b.auth })).statusCode,
      ).toBe(404);
    }
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/records/${named.id}`, headers: b.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().access.basis).toBe('named_recipient');
  });

  it('an auditor reads the audit log, not the data', async () => {
    const auditor = await createUser(t.ctx, orgA, ['auditor']);
    const rec = await createRecord(t.ctx, orgA.id);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: auditor.auth }))
        .statusCode,
    ).toBe(404);
  });

  it('a token without the records:write scope gets 403', async () => {
    const readOnly = await createUser(t.ctx, orgA, ['analyst'], { scopes: ['records:read'] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: readOnly.auth,
      payload: validPerson,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('insufficient_scope');
  });

  it('every read that returned data is audited with its basis', async () => {
    const rec = await createRecord(t.ctx, orgA.id);
    await t.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}`, headers: b.auth });
    const entries = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', rec.id)
      .where('action', '=', 'record.read')
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.basis).toBe('agreement');
    expect(entries[0]?.actor_org_id).toBe(orgB.id);
  });
});

describe('records API ordering', () => {
  it('answers 401 before validating an anonymous request', async () => {
    const t = await createTestApp();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/records', payload: { schema: 42 } });
    expect(res.statusCode).toBe(401);
  });
});

describe('owner-only fields', () => {
  it('shows the external id to the owner only', async () => {
    const t = await createTestApp();
    const a = await createOrg(t.ctx);
    const b = await createOrg(t.ctx);
    const owner = await createUser(t.ctx, a, ['analyst']);
    const partner = await createUser(t.ctx, b, ['analyst']);
    await createAgreement(t.ctx, { parties: [a.id, b.id] });
    const rec = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: owner.auth,
        payload: { ...validPerson, externalId: 'case-file-0042' },
      })
    ).json();
    expect(rec.externalId).toBe('case-file-0042');
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records/${rec.id}`,
      headers: partner.auth,
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().externalId).toBeNull();
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/records?owner=${a.id}`,
      headers: partner.auth,
    });
    expect(listed.json().items.find((r: { id: string }) => r.id === rec.id)?.externalId).toBeNull();
  });
});
