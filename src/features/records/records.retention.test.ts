import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import { createAgreement, createOrg, createUser, type TestUser } from '../../../test/support/factories.js';
import { addDays, addMonths } from '../../platform/clock.js';
import { runRetention } from './records.retention.js';

const person = {
  schema: 'Person',
  properties: { name: ['Jonas Retention'], nationality: ['DE'] },
  handling: { tlp: 'TLP:AMBER', codes: ['H0'] },
  evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
  crimeAreas: ['drug_trafficking'],
  purposes: ['criminal_investigation'],
  subjectCategory: 'suspect',
};

interface Change {
  field: string;
  before: unknown;
  after: unknown;
}
interface Version {
  version: number;
  action: string;
  actor: { user: { id: string } | null; organization: { id: string } | null };
  changes: Change[];
}

describe('record history, tombstones and retention', () => {
  let t: TestApp;
  let a: TestUser;
  let aViewer: TestUser;
  let b: TestUser;
  let c: TestUser;
  let orgA: { id: string };
  let agreement: { id: string; reference: string };

  async function create(
    extra: Record<string, unknown> = {},
    user: TestUser = a,
  ): Promise<{ id: string; expiresAt: string; reviewAt: string }> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: user.auth,
      payload: { ...person, ...extra },
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  }
  const get = (id: string, user: TestUser, what = '') =>
    t.app.inject({ method: 'GET', url: `/api/v1/records/${id}${what}`, headers: user.auth });
  const post = (id: string, what: string, user: TestUser, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${id}/${what}`,
      headers: user.auth,
      payload: payload as object,
    });

  beforeAll(async () => {
    t = await createTestApp(new Date('2026-03-01T12:00:00Z'));
    orgA = await createOrg(t.ctx);
    const orgB = await createOrg(t.ctx);
    const orgC = await createOrg(t.ctx);
    a = await createUser(t.ctx, orgA, ['analyst']);
    aViewer = await createUser(t.ctx, orgA, ['viewer']);
    b = await createUser(t.ctx, orgB, ['analyst']);
    c = await createUser(t.ctx, orgC, ['analyst']);
    agreement = await createAgreement(t.ctx, {
      parties: [orgA.id, orgB.id],
      sunsetAt: new Date('2030-01-01T00:00:00Z'),
    });
    await t.ctx.db
      .updateTable('agreements')
      .set({ max_retention_days: 400 })
      .where('id', '=', agreement.id)
      .execute();
  });

  it('history: versions newest first with field diffs; readers only; audited', async () => {
    const rec = await create();
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/records/${rec.id}/history` })).statusCode).toBe(
      401,
    );
    t.clock.advance(60_000);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/records/${rec.id}`,
      headers: a.auth,
      payload: {
        properties: { name: ['Jonas Retention', 'J. Retention'], nationality: ['DE'] },
        handling: { tlp: 'TLP:GREEN', codes: ['H0'] },
      },
    });
    expect(patched.statusCode).toBe(200);

    const res = await get(rec.id, a, '/history');
    expect(res.statusCode).toBe(200);
    const items: Version[] = res.json().items;
    expect(items.map((i) => [i.version, i.action])).toEqual([
      [2, 'updated'],
      [1, 'created'],
    ]);
    expect(items[0]?.changes).toEqual([
      { field: 'handling.tlp', before: 'TLP:AMBER', after: 'TLP:GREEN' },
      { field: 'properties.name', before: ['Jonas Retention'], after: ['Jonas Retention', 'J. Retention'] },
    ]);
    expect(items[0]?.actor.user?.id).toBe(a.id);
    expect(items[0]?.actor.organization?.id).toBe(orgA.id);
    expect(items[1]?.changes).toContainEqual({
      field: 'properties.nationality',
      before: null,
      after: ['de'],
    });

    // A partner reading under the agreement sees the history, but not who at the owner acted.
    const byB = await get(rec.id, b, '/history');
    expect(byB.statusCode).toBe(200);
    expect(byB.json().items[0].actor).toMatchObject({ user: null, organization: { id: orgA.id } });
    expect((await get(rec.id, c, '/history')).statusCode).toBe(404);
    const audits = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_org_id', 'basis'])
      .where('object_id', '=', rec.id)
      .where('action', '=', 'record.history_read')
      .execute();
    expect(audits.map((x) => x.actor_org_id).sort()).toEqual([orgA.id, b.organizationId].sort());

    // Retraction: a version; the former reader gets the tombstone for the history too, the stranger 404.
    expect((await post(rec.id, 'retract', a, { reason: 'Wrong person' })).statusCode).toBe(200);
    const after: Version[] = (await get(rec.id, a, '/history')).json().items;
    expect(after[0]?.action).toBe('retracted');
    expect(after[0]?.changes).toEqual([
      { field: 'retractedReason', before: null, after: 'Wrong person' },
      { field: 'status', before: 'active', after: 'retracted' },
    ]);
    expect((await get(rec.id, b, '/history')).statusCode).toBe(410);
    expect((await get(rec.id, c, '/history')).statusCode).toBe(404);
  });

  it('tombstone only for a reader who could read it as active: a RED record retracted is 404 to the partner', async () => {
    const red = await create({ handling: { tlp: 'TLP:RED', codes: ['H0'] } });
    await post(red.id, 'retract', a, { reason: 'Mistake' });
    expect((await get(red.id, b)).statusCode).toBe(404);
    expect((await get(red.id, a)).statusCode).toBe(200);
  });

  it('extend: owner writer only, after the current expiry, at most five years, within agreement retention', async () => {
    const now = t.clock.now();
    const rec = await create({ expiresAt: addDays(now, 200).toISOString() });
    // 400 before 403/404: validation of the body comes first.
    expect((await post(rec.id, 'extend', a, { expiresAt: addDays(now, 300).toISOString() })).statusCode).toBe(
      400,
    );
    expect(
      (
        await post(rec.id, 'extend', c, {
          expiresAt: addDays(now, 300).toISOString(),
          reason: 'Ongoing case',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await post(rec.id, 'extend', b, {
          expiresAt: addDays(now, 300).toISOString(),
          reason: 'Ongoing case',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await post(rec.id, 'extend', aViewer, {
          expiresAt: addDays(now, 300).toISOString(),
          reason: 'Ongoing case',
        })
      ).statusCode,
    ).toBe(403);

    const rule = async (expiresAt: Date) => {
      const res = await post(rec.id, 'extend', a, {
        expiresAt: expiresAt.toISOString(),
        reason: 'Ongoing case',
      });
      expect(res.statusCode).toBe(400);
      const e = res.json().errors[0];
      expect(e.field).toBe('expiresAt');
      return e as { rule: string; message: string };
    };
    expect((await rule(addDays(now, 100))).rule).toBe('after_current');
    expect((await rule(addMonths(now, 61))).rule).toBe('max_retention');

    // The partner reads it under the agreement (max 400 days from that first read).
    expect((await get(rec.id, b)).statusCode).toBe(200);
    const tooLong = await rule(addDays(now, 500));
    expect(tooLong.rule).toBe('agreement_max_retention');
    expect(tooLong.message).toContain(agreement.reference);

    const ok = await post(rec.id, 'extend', a, {
      expiresAt: addDays(now, 390).toISOString(),
      reason: 'Ongoing case',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().expiresAt).toBe(addDays(now, 390).toISOString());
    expect(ok.json().reviewAt).toBe(addMonths(addDays(now, 390), -6).toISOString());
    const history: Version[] = (await get(rec.id, a, '/history')).json().items;
    expect(history[0]?.action).toBe('extended');
    expect(history[0]?.changes.map((x) => x.field)).toEqual(['expiresAt', 'reviewAt']);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('object_id', '=', rec.id)
      .where('action', '=', 'record.extended')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ reason: 'Ongoing case' });
  });

  it('review: confirms need; the next review is six months on, before expiry', async () => {
    const start = t.clock.now();
    const rec = await create({ expiresAt: addDays(start, 365 * 2).toISOString() });
    expect((await post(rec.id, 'review', b, {})).statusCode).toBe(403);
    const res = await post(rec.id, 'review', a, { note: 'Still under investigation' });
    expect(res.statusCode).toBe(200);
    // Six months before expiry is later than six months from now: that stays.
    expect(res.json().reviewAt).toBe(addMonths(addDays(start, 365 * 2), -6).toISOString());
    expect(res.json().version).toBe(2);

    const soon = await create({ expiresAt: addDays(start, 240).toISOString() });
    const res2 = await post(soon.id, 'review', a, {});
    // Six months from now, since six months before expiry would be in two months.
    expect(res2.json().reviewAt).toBe(addMonths(start, 6).toISOString());
    const history: Version[] = (await get(soon.id, a, '/history')).json().items;
    expect(history[0]).toMatchObject({ action: 'reviewed', changes: [{ field: 'reviewAt' }] });
  });

  it('the job: reminder once per review date, expiry at expiresAt, purge after the grace with history erased', async () => {
    const t2 = await createTestApp(new Date('2026-03-01T12:00:00Z'));
    const start = t2.clock.now();
    const created = await t2.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: a.auth,
      payload: { ...person, expiresAt: addDays(start, 240).toISOString() },
    });
    const id: string = created.json().id;
    const reviewAt = new Date(created.json().reviewAt);
    const only = [id];
    const outbox = (topic: string) =>
      t2.ctx.db
        .selectFrom('outbox')
        .select('payload')
        .where('topic', '=', topic)
        .where(sql<boolean>`payload->>'recordId' = ${id}`)
        .execute();

    expect(await runRetention(t2.ctx, { only })).toEqual({ reminded: 0, expired: 0, purged: 0 });
    t2.clock.set(addDays(reviewAt, 1));
    expect(await runRetention(t2.ctx, { only })).toEqual({ reminded: 1, expired: 0, purged: 0 });
    expect(await runRetention(t2.ctx, { only })).toEqual({ reminded: 0, expired: 0, purged: 0 });
    expect(await outbox('record.review_due')).toHaveLength(1);

    // Expiry: partner access ended at expiresAt already; the job makes it visible.
    t2.clock.set(addDays(start, 240));
    expect(
      (await t2.app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers: b.auth })).statusCode,
    ).toBe(404);
    expect(await runRetention(t2.ctx, { only })).toMatchObject({ expired: 1, purged: 0 });
    const own = await t2.app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers: a.auth });
    expect(own.json().status).toBe('expired');
    expect(await outbox('record.expired')).toHaveLength(1);

    t2.clock.set(addDays(start, 240 + 29));
    expect(await runRetention(t2.ctx, { only })).toMatchObject({ purged: 0 });
    t2.clock.set(addDays(start, 240 + 30));
    expect(await runRetention(t2.ctx, { only })).toMatchObject({ purged: 1 });
    expect(await runRetention(t2.ctx, { only })).toEqual({ reminded: 0, expired: 0, purged: 0 });

    const purged = (
      await t2.app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers: a.auth })
    ).json();
    expect(purged).toMatchObject({ caption: '[purged]', properties: {}, status: 'expired' });
    const history: Version[] = (
      await t2.app.inject({ method: 'GET', url: `/api/v1/records/${id}/history`, headers: a.auth })
    ).json().items;
    expect(history.map((v) => v.action)).toEqual(['purged', 'expired', 'created']);
    expect(history.every((v) => v.changes.length === 0)).toBe(true);
    const snapshots = await t2.ctx.db
      .selectFrom('record_versions')
      .select('snapshot')
      .where('record_id', '=', id)
      .execute();
    expect(snapshots.map((s) => s.snapshot)).toEqual([{}, {}, {}]);
    const row = await t2.ctx.db
      .selectFrom('records')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.search_text).toBe('');
    expect(row.purged_at?.toISOString()).toBe(t2.clock.now().toISOString());
    expect(JSON.stringify(row)).not.toContain('Jonas');
    const tomb = await t2.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('object_id', '=', id)
      .where('action', '=', 'record.purged')
      .execute();
    expect(tomb).toHaveLength(1);
    expect(tomb[0]?.details).toMatchObject({ status: 'expired', versionsErased: 3 });
  });

  it('the job purges a retracted record after the grace, counted from the retraction', async () => {
    const t3 = await createTestApp(new Date('2026-03-01T12:00:00Z'));
    const res = await t3.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: a.auth,
      payload: person,
    });
    const id: string = res.json().id;
    t3.clock.advanceDays(10);
    await t3.app.inject({
      method: 'POST',
      url: `/api/v1/records/${id}/retract`,
      headers: a.auth,
      payload: { reason: 'Duplicate' },
    });
    t3.clock.advanceDays(29);
    expect(await runRetention(t3.ctx, { only: [id] })).toMatchObject({ purged: 0 });
    t3.clock.advanceDays(1);
    expect(await runRetention(t3.ctx, { only: [id] })).toMatchObject({ purged: 1 });
    // The former reader still gets the tombstone (no content, and nothing left to give).
    const tomb = await t3.app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers: b.auth });
    expect(tomb.statusCode).toBe(410);
    expect(tomb.json().reason).toBe('Duplicate');
  });
});
