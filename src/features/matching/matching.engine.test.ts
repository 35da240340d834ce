import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import { createAgreement, createOrg, createRecord, type TestOrg } from '../../../test/support/factories.js';
import { drainMatchQueue } from './matching.engine.js';
import { rotateKey } from './matching.keys.js';

let t: TestApp;
let a: TestOrg;
let b: TestOrg;
let c: TestOrg;

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
});

const person = (name: string, extra: Record<string, string[]> = {}) => ({
  schema: 'Person',
  properties: { name: [name], ...extra },
});

async function hitsOf(recordId: string) {
  return t.ctx.db
    .selectFrom('match_hits')
    .selectAll()
    .where((eb) => eb.or([eb('record_a', '=', recordId), eb('record_b', '=', recordId)]))
    .execute();
}

describe('match queue and hits', () => {
  it('finds a record of a partner organization and makes one hit with the kinds of feature that matched', async () => {
    await createAgreement(t.ctx, { parties: [a.id, b.id], matchingAllowed: true });
    const mine = await createRecord(
      t.ctx,
      a.id,
      person('Viktor Antonovich Petrenko', {
        birthDate: ['1971-03-14'],
        passportNumber: ['UA4471920'],
        nationality: ['ua'],
      }),
    );
    const theirs = await createRecord(
      t.ctx,
      b.id,
      person('PETRENKO Viktor', {
        birthDate: ['1971-03-14'],
        passportNumber: ['ua 4471920'],
        nationality: ['UA'],
      }),
    );
    const run = await drainMatchQueue(t.ctx);
    expect(run.indexed).toBeGreaterThanOrEqual(2);
    const hits = await hitsOf(mine.id);
    expect(hits).toHaveLength(1);
    const hit = hits[0]!;
    expect([hit.record_a, hit.record_b].sort()).toEqual([mine.id, theirs.id].sort());
    expect(hit.status).toBe('open');
    expect(hit.features).toContain('passport');
    expect(hit.features).toContain('name');
    expect(hit.reference).toMatch(/^H-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    // Both owners were told, with nothing of either record.
    const events = await t.ctx.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'match.hit')
      .execute();
    const payload = events
      .map((e) => e.payload as unknown as Record<string, unknown>)
      .find((p) => p.hitId === hit.id);
    expect(payload).toBeDefined();
    expect(JSON.stringify(payload)).not.toMatch(/petrenko|4471920|1971/i);
  });

  it('makes no hit without an agreement that allows matching, nor within one organization', async () => {
    await createAgreement(t.ctx, { parties: [a.id, c.id], matchingAllowed: false });
    const mine = await createRecord(
      t.ctx,
      a.id,
      person('Marisol Quintero Albarracín', { birthDate: ['1980-02-02'] }),
    );
    await createRecord(t.ctx, c.id, person('Marisol Quintero Albarracin', { birthDate: ['1980-02-02'] }));
    await createRecord(t.ctx, a.id, person('Marisol Quintero Albarracin', { birthDate: ['1980-02-02'] }));
    await drainMatchQueue(t.ctx);
    expect(await hitsOf(mine.id)).toHaveLength(0);
  });

  it('never indexes victims, witnesses, informants or TLP:RED, and closes hits when a record is retracted', async () => {
    await createAgreement(t.ctx, { parties: [a.id, b.id] });
    const victim = await createRecord(t.ctx, a.id, {
      ...person('Oksana Levchenko Moroz', { birthDate: ['1990-05-05'] }),
      subjectCategory: 'victim',
    });
    const red = await createRecord(t.ctx, a.id, {
      ...person('Oksana Levchenko Moroz', { birthDate: ['1990-05-05'] }),
      tlp: 'TLP:RED',
    });
    const suspect = await createRecord(
      t.ctx,
      a.id,
      person('Oksana Levchenko Moroz', { birthDate: ['1990-05-05'] }),
    );
    const theirs = await createRecord(
      t.ctx,
      b.id,
      person('Oksana Levchenko-Moroz', { birthDate: ['1990-05-05'] }),
    );
    await drainMatchQueue(t.ctx);
    const indexed = await t.ctx.db
      .selectFrom('match_entities')
      .select('record_id')
      .where('record_id', 'in', [victim.id, red.id, suspect.id, theirs.id])
      .execute();
    expect(indexed.map((r) => r.record_id).sort()).toEqual([suspect.id, theirs.id].sort());
    expect(await hitsOf(theirs.id)).toHaveLength(1);

    await t.ctx.db.updateTable('records').set({ status: 'retracted' }).where('id', '=', suspect.id).execute();
    await drainMatchQueue(t.ctx);
    const [hit] = await hitsOf(theirs.id);
    expect(hit?.status).toBe('closed');
    expect(hit?.closed_reason).toBe('record_withdrawn');
    const still = await t.ctx.db
      .selectFrom('match_entities')
      .select('record_id')
      .where('record_id', '=', suspect.id)
      .execute();
    expect(still).toHaveLength(0);
  });

  it('moves a hit to the new owner when a record changes hands', async () => {
    await createAgreement(t.ctx, { parties: [a.id, b.id] });
    await createAgreement(t.ctx, { parties: [c.id, b.id] });
    const moved = await createRecord(
      t.ctx,
      a.id,
      person('Teodoro Balcázar Urquiza', { birthDate: ['1969-08-21'] }),
    );
    const theirs = await createRecord(
      t.ctx,
      b.id,
      person('Teodoro Balcazar Urquiza', { birthDate: ['1969-08-21'] }),
    );
    await drainMatchQueue(t.ctx);
    const [before] = await hitsOf(theirs.id);
    expect([before?.org_a, before?.org_b].sort()).toEqual([a.id, b.id].sort());
    await t.ctx.db.updateTable('records').set({ owner_org_id: c.id }).where('id', '=', moved.id).execute();
    await drainMatchQueue(t.ctx);
    const [after] = await hitsOf(theirs.id);
    expect(after?.id).toBe(before?.id);
    expect(after?.status).toBe('open');
    expect([after?.org_a, after?.org_b].sort()).toEqual([b.id, c.id].sort());
  });

  it('stores no raw value in the match tables', async () => {
    await createAgreement(t.ctx, { parties: [a.id, b.id] });
    const r = await createRecord(
      t.ctx,
      a.id,
      person('Zhanna Kurbanovna Aliyeva', {
        birthDate: ['1966-09-30'],
        passportNumber: ['C01234567'],
        phone: ['+254 722 123456'],
        email: ['z.aliyeva@example.org'],
      }),
    );
    await drainMatchQueue(t.ctx);
    const row = await t.ctx.db
      .selectFrom('match_entities')
      .selectAll()
      .where('record_id', '=', r.id)
      .executeTakeFirstOrThrow();
    const text = JSON.stringify(row.encoding) + Buffer.from(row.packed).toString('latin1');
    for (const raw of [
      'zhanna',
      'aliyeva',
      'aliev',
      'kurban',
      '1966',
      '01234567',
      '722123456',
      '254722',
      'example.org',
    ])
      expect(text.toLowerCase()).not.toContain(raw);
    const postings = await t.ctx.db
      .selectFrom('match_postings')
      .select('key')
      .where('organization_id', '=', a.id)
      .execute();
    expect(postings.length).toBeGreaterThan(0);
    for (const p of postings) expect(p.key).toMatch(/^[a-z][A-Za-z0-9_-]{16}$/);
  });

  it('re-encodes every entity under a new key after a rotation and still finds the hit', async () => {
    await createAgreement(t.ctx, { parties: [a.id, b.id] });
    const mine = await createRecord(
      t.ctx,
      a.id,
      person('Dragan Milosavljević', { birthDate: ['1975-11-02'] }),
    );
    await createRecord(t.ctx, b.id, person('Dragan Milosavljevic', { birthDate: ['1975-11-02'] }));
    await drainMatchQueue(t.ctx);
    const before = await t.ctx.db
      .selectFrom('match_entities')
      .select('key_id')
      .where('record_id', '=', mine.id)
      .executeTakeFirstOrThrow();
    const { previous, active } = await rotateKey(t.ctx);
    expect(previous).toBe(before.key_id);
    await drainMatchQueue(t.ctx);
    const after = await t.ctx.db
      .selectFrom('match_entities')
      .select('key_id')
      .where('record_id', '=', mine.id)
      .executeTakeFirstOrThrow();
    expect(after.key_id).toBe(active);
    const old = await t.ctx.db
      .selectFrom('match_keys')
      .selectAll()
      .where('id', '=', previous!)
      .executeTakeFirstOrThrow();
    expect(old.status).toBe('retired');
    expect(old.sealed_secret).toBe('');
    const [hit] = await hitsOf(mine.id);
    expect(hit?.status).toBe('open');
    expect(hit?.key_id).toBe(active);
  });
});
