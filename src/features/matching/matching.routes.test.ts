import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import {
  createAgreement,
  createOrg,
  createRecord,
  createUser,
  type TestOrg,
  type TestUser,
} from '../../../test/support/factories.js';
import { drainMatchQueue } from './matching.engine.js';
import { CHECK_LIMITS } from './matching.service.js';
import { waitForXref } from './xref.service.js';

let t: TestApp;
let a: TestOrg;
let b: TestOrg;
let c: TestOrg;
let analystA: TestUser;
let analystB: TestUser;
let analystC: TestUser;
let mine: { id: string };
let theirs: { id: string };

const PETRENKO_B = {
  name: ['PETRENKO Viktor'],
  birthDate: ['1971-03-14'],
  passportNumber: ['UA4471920'],
  nationality: ['ua'],
  address: ['12 Harbour Road, Marseille'],
  notes: ['Seen with a blue van in the port area'],
};

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.app.close();
});
beforeEach(async () => {
  [a, b, c] = await Promise.all([
    createOrg(t.ctx, { countries: ['KE'] }),
    createOrg(t.ctx, { countries: ['FR'] }),
    createOrg(t.ctx, { countries: ['ES'] }),
  ]);
  [analystA, analystB, analystC] = await Promise.all([
    createUser(t.ctx, a, ['analyst']),
    createUser(t.ctx, b, ['analyst']),
    createUser(t.ctx, c, ['analyst']),
  ]);
  await createAgreement(t.ctx, { parties: [a.id, b.id], matchingAllowed: true });
  // A covers C for sharing but does not allow matching: C never learns anything from A's records.
  await createAgreement(t.ctx, { parties: [a.id, c.id], matchingAllowed: false });
  mine = await createRecord(t.ctx, a.id, {
    properties: {
      name: ['Viktor Antonovich Petrenko'],
      birthDate: ['1971-03-14'],
      passportNumber: ['UA4471920'],
      nationality: ['UA'],
    },
  });
  // B's record is AMBER+STRICT between parties, but the agreement's ceiling and scope would let A
  // read it anyway; keep it out of reach so only a disclosure opens it.
  theirs = await createRecord(t.ctx, b.id, {
    properties: PETRENKO_B,
    crimeAreas: ['cybercrime'],
  });
  await drainMatchQueue(t.ctx);
});

const get = (user: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: user.auth });
const post = (user: TestUser, url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: user.auth, payload: payload as object });

describe('hits', () => {
  it('shows each side its own record, the other organization, score and feature kinds — nothing of the other record', async () => {
    const resA = await get(analystA, '/api/v1/match/hits');
    expect(resA.statusCode).toBe(200);
    const bodyA = resA.json();
    expect(bodyA.items).toHaveLength(1);
    const hit = bodyA.items[0];
    expect(hit.record.id).toBe(mine.id);
    expect(hit.otherOrganization.id).toBe(b.id);
    expect(hit.features).toEqual(expect.arrayContaining(['passport', 'name', 'date of birth']));
    expect(hit.state).toBe('new');
    expect(bodyA.unseen).toBe(1);
    expect(resA.body).not.toContain(theirs.id);
    expect(resA.body).not.toMatch(/Harbour|blue van|PETRENKO Viktor/);

    const bodyB = (await get(analystB, '/api/v1/match/hits')).json();
    expect(bodyB.items[0].reference).toBe(hit.reference);
    expect(bodyB.items[0].record.id).toBe(theirs.id);
    expect(JSON.stringify(bodyB)).not.toContain(mine.id);

    expect((await get(analystC, '/api/v1/match/hits')).json().items).toHaveLength(0);
    expect((await get(analystC, `/api/v1/match/hits/${hit.id}`)).statusCode).toBe(404);

    const seen = await post(analystA, `/api/v1/match/hits/${hit.id}/state`, { state: 'seen' });
    expect(seen.json().state).toBe('seen');
    expect((await get(analystB, `/api/v1/match/hits/${hit.id}`)).json().state).toBe('new');
  });
});

describe('checks', () => {
  it('answers hit or no hit per partner organization with a sealed reference, and stores nothing of the query', async () => {
    const res = await post(analystA, '/api/v1/match/check', {
      schema: 'Person',
      properties: { name: ['Viktor Petrenko'], passportNumber: ['UA 4471920'], nationality: ['UA'] },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.organizations).toHaveLength(1);
    expect(body.organizations[0]).toMatchObject({ organization: { id: b.id }, result: 'hit' });
    expect(body.organizations[0].reference).toMatch(/^v1\./);
    expect(res.body).not.toContain(theirs.id);

    const none = await post(analystA, '/api/v1/match/check', {
      schema: 'Person',
      properties: { name: ['Hortensia Villalobos Quiñones'], birthDate: ['1955-01-01'] },
    });
    expect(none.json().organizations[0].result).toBe('no_hit');

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'match.checked')
      .where('actor_user_id', '=', analystA.id)
      .execute();
    expect(audit).toHaveLength(2);
    const text = JSON.stringify(audit);
    expect(text).not.toMatch(/Petrenko|4471920|Hortensia|1955/i);
    expect(text).toContain('fingerprint');
  });

  it('refuses an entity with nothing to match on, with the field and rule', async () => {
    const res = await post(analystA, '/api/v1/match/check', {
      schema: 'Person',
      properties: { notes: ['x'] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'properties', rule: 'matchable' });
  });

  it('limits checks per user per minute', async () => {
    const body = { schema: 'Person', properties: { name: ['Anna Example'] } };
    for (let i = 0; i < CHECK_LIMITS.perUserPerMinute; i++)
      expect((await post(analystC, '/api/v1/match/check', body)).statusCode).toBe(200);
    const limited = await post(analystC, '/api/v1/match/check', body);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(61_000);
    expect((await post(analystC, '/api/v1/match/check', body)).statusCode).toBe(200);
  });
});

describe('disclosure', () => {
  it('runs from request to partial disclosure, read through the policy engine, to revocation', async () => {
    const hit = (await get(analystA, '/api/v1/match/hits')).json().items[0];
    // Before any disclosure A cannot read B's record.
    expect((await get(analystA, `/api/v1/records/${theirs.id}`)).statusCode).toBe(404);

    const req = await post(analystA, '/api/v1/match/disclosures', {
      hitId: hit.id,
      purpose: 'criminal_investigation',
      justification: 'Suspect in our investigation of a trafficking network.',
    });
    expect(req.statusCode).toBe(201);
    const d = req.json();
    expect(d).toMatchObject({
      status: 'pending',
      box: 'outgoing',
      overdue: false,
      ownRecord: { id: mine.id },
    });
    expect(new Date(d.deadlineAt).getTime() - t.clock.now().getTime()).toBe(48 * 3_600_000);
    expect(
      (
        await post(analystA, '/api/v1/match/disclosures', {
          hitId: hit.id,
          purpose: 'criminal_investigation',
          justification: 'Asking a second time.',
        })
      ).statusCode,
    ).toBe(409);

    // The owner's queue, with its own record in full for review.
    const incoming = (await get(analystB, '/api/v1/match/disclosures?box=incoming')).json();
    expect(incoming.pendingIncoming).toBe(1);
    expect(incoming.items[0].permissions.decide).toBe(true);
    const review = (await get(analystB, `/api/v1/match/disclosures/${d.id}`)).json();
    expect(review.review.id).toBe(theirs.id);
    expect(review.review.properties.notes).toEqual(PETRENKO_B.notes);
    expect(review.own).toBeUndefined();

    t.clock.advance(49 * 3_600_000);
    expect(
      (await get(analystB, '/api/v1/match/disclosures?box=incoming&status=overdue')).json().items,
    ).toHaveLength(1);

    // Only the requester cannot decide; declining needs a reason; unknown properties are refused.
    expect(
      (await post(analystA, `/api/v1/match/disclosures/${d.id}/decision`, { decision: 'disclose' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(analystB, `/api/v1/match/disclosures/${d.id}/decision`, { decision: 'decline' })).json()
        .errors[0],
    ).toMatchObject({ field: 'reason' });
    const bad = await post(analystB, `/api/v1/match/disclosures/${d.id}/decision`, {
      decision: 'disclose',
      properties: ['phone'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'properties', rule: 'held_properties' });

    const decided = await post(analystB, `/api/v1/match/disclosures/${d.id}/decision`, {
      decision: 'disclose',
      properties: ['name', 'birthDate'],
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'disclosed', properties: ['birthDate', 'name'] });

    // The requester reads the disclosed part, on basis "disclosure", and nothing else of it.
    const read = await get(analystA, `/api/v1/records/${theirs.id}`);
    expect(read.statusCode).toBe(200);
    const rec = read.json();
    expect(rec.access).toEqual({ basis: 'disclosure', ref: d.id });
    expect(Object.keys(rec.properties).sort()).toEqual(['birthDate', 'name']);
    expect(read.body).not.toMatch(/Harbour|blue van|4471920/);
    expect((await get(analystA, `/api/v1/records/${theirs.id}/history`)).statusCode).toBe(404);
    const side = (await get(analystA, `/api/v1/match/disclosures/${d.id}`)).json();
    expect(side.own.id).toBe(mine.id);
    expect(side.disclosed.properties.name).toEqual(PETRENKO_B.name);
    const audited = await t.ctx.db
      .selectFrom('audit_log')
      .select(['basis', 'basis_ref'])
      .where('action', '=', 'record.read')
      .where('object_id', '=', theirs.id)
      .where('actor_org_id', '=', a.id)
      .execute();
    expect(audited.length).toBeGreaterThan(0);
    expect(audited.every((r) => r.basis === 'disclosure' && r.basis_ref === d.id)).toBe(true);
    // C, a stranger to the disclosure, still reads nothing.
    expect((await get(analystC, `/api/v1/records/${theirs.id}`)).statusCode).toBe(404);
    expect((await get(analystC, `/api/v1/match/disclosures/${d.id}`)).statusCode).toBe(404);

    const revoked = await post(analystB, `/api/v1/match/disclosures/${d.id}/revoke`, {
      reason: 'Shared by mistake',
    });
    expect(revoked.json().status).toBe('revoked');
    expect((await get(analystA, `/api/v1/records/${theirs.id}`)).statusCode).toBe(404);
  });

  it('can start from a check reference, which only the asking organization can use', async () => {
    const check = (
      await post(analystA, '/api/v1/match/check', {
        schema: 'Person',
        properties: { name: ['Viktor Petrenko'], passportNumber: ['UA4471920'], nationality: ['UA'] },
      })
    ).json();
    const reference = check.organizations[0].reference;
    const stolen = await post(analystC, '/api/v1/match/disclosures', {
      checkReference: reference,
      purpose: 'criminal_investigation',
      justification: 'Trying a reference issued to someone else.',
    });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().errors[0]).toMatchObject({ field: 'checkReference' });
    const ok = await post(analystA, '/api/v1/match/disclosures', {
      checkReference: reference,
      purpose: 'criminal_investigation',
      justification: 'Matches a person stopped at the border today.',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ hit: null, ownerOrganization: { id: b.id } });
    expect(ok.json().checkFeatures).toContain('passport');
  });
});

describe('cross-referencing', () => {
  it('runs an organization against its partners, with progress and results by score', async () => {
    await createRecord(t.ctx, a.id, {
      properties: { name: ['Viktor A. Petrenko'], birthDate: ['1971-03-14'] },
    });
    await drainMatchQueue(t.ctx);
    const started = await post(analystA, '/api/v1/match/xref', { includeOwn: true });
    expect(started.statusCode).toBe(202);
    await waitForXref(started.json().id);
    const job = (await get(analystA, `/api/v1/match/xref/${started.json().id}`)).json();
    expect(job).toMatchObject({ status: 'done', total: 2, processed: 2 });
    const results = (await get(analystA, `/api/v1/match/xref/${job.id}/results`)).json();
    expect(results.total).toBeGreaterThanOrEqual(3);
    const scores = results.items.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const withB = results.items.filter(
      (r: { otherOrganization: { id: string } }) => r.otherOrganization.id === b.id,
    );
    expect(withB.length).toBeGreaterThan(0);
    for (const r of withB) {
      expect(r.otherRecord).toBeNull();
      expect(r.hit.reference).toMatch(/^H-/);
    }
    const own = results.items.filter(
      (r: { otherOrganization: { id: string } }) => r.otherOrganization.id === a.id,
    );
    expect(own).toHaveLength(1);
    expect(own[0].otherRecord).not.toBeNull();
    expect(results.items.some((r: { record: { id: string } }) => r.record.id === theirs.id)).toBe(false);
  });
});
