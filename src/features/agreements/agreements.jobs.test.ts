import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import {
  type AgreementInput,
  createAgreement,
  createOrg,
  createUser,
  type TestUser,
} from '../../../test/support/factories.js';
import { addDays, addMonths } from '../../platform/clock.js';
import { evaluateReviewTriggers } from './agreements.jobs.js';
import { addExchanged } from './agreements.store.js';

const START = new Date('2026-06-01T12:00:00Z');

let t: TestApp;
let admin: TestUser;
let parties: string[];

beforeAll(async () => {
  t = await createTestApp(START);
});
afterAll(async () => {
  await t.app.close();
});
beforeEach(async () => {
  t.clock.set(START);
  const [a, b] = await Promise.all([createOrg(t.ctx), createOrg(t.ctx)]);
  parties = [a.id, b.id];
  admin = await createUser(t.ctx, a, ['org_admin']);
});

/** An agreement of this test's organizations (the job only ever runs on the test's own agreements). */
async function agreement(over: Omit<AgreementInput, 'parties'>): Promise<string> {
  return (await createAgreement(t.ctx, { parties, ...over })).id;
}

/** Runs the job on the given agreements only: other tests share the database. */
function run(...ids: string[]) {
  return evaluateReviewTriggers(t.ctx, { only: ids });
}

async function state(id: string) {
  return t.ctx.db
    .selectFrom('agreements')
    .select(['status', 'last_reviewed_at', 'exchanged_since_review', 'sunset_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function events(id: string) {
  return t.ctx.db
    .selectFrom('agreement_events')
    .selectAll()
    .where('agreement_id', '=', id)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

async function conclude(id: string, to: 'active' | 'terminated' = 'active') {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/agreements/${id}/transition`,
    headers: admin.auth,
    payload: { to, reason: 'review concluded' },
  });
  expect(res.statusCode).toBe(200);
}

describe('evaluateReviewTriggers', () => {
  it('expires a live agreement when its sunset passes, with no actor, and lapses a pending extension', async () => {
    const sunset = addDays(START, 5);
    const active = await agreement({ status: 'active', sunsetAt: sunset });
    const suspended = await agreement({ status: 'suspended', sunsetAt: sunset });
    const review = await agreement({ status: 'under_review', sunsetAt: sunset });
    const draft = await agreement({ status: 'draft', sunsetAt: sunset });
    const terminated = await agreement({ status: 'terminated', sunsetAt: sunset });
    const ext = await t.app.inject({
      method: 'POST',
      url: `/api/v1/agreements/${active}/extensions`,
      headers: admin.auth,
      payload: { newSunsetAt: addDays(START, 400).toISOString(), reason: 'more time' },
    });
    expect(ext.statusCode).toBe(201);
    const all = [active, suspended, review, draft, terminated];

    t.clock.set(new Date(sunset.getTime() - 1));
    expect(await run(...all)).toMatchObject({ checked: 3, expired: 0, underReview: 0 });
    t.clock.set(sunset);
    expect(await run(...all)).toMatchObject({ checked: 3, expired: 3, underReview: 0 });
    expect((await state(active)).status).toBe('expired');
    expect((await state(suspended)).status).toBe('expired');
    expect((await state(review)).status).toBe('expired');
    expect((await state(draft)).status).toBe('draft');
    expect((await state(terminated)).status).toBe('terminated');

    const last = (await events(active)).at(-1);
    expect(last).toMatchObject({
      action: 'status_changed',
      actor_user_id: null,
      actor_org_id: null,
      from_status: 'active',
      to_status: 'expired',
      at: sunset,
    });
    expect(last?.details).toMatchObject({ trigger: { kind: 'sunset_passed' }, system: true });
    expect(last?.details.lapsedExtensions).toHaveLength(1);
    const extRow = await t.ctx.db
      .selectFrom('agreement_extensions')
      .select('status')
      .where('agreement_id', '=', active)
      .executeTakeFirstOrThrow();
    expect(extRow.status).toBe('lapsed');

    // Idempotent: nothing left to do.
    expect(await run(...all)).toMatchObject({ checked: 0, expired: 0, underReview: 0 });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('object_id', '=', active)
      .where('action', '=', 'agreement.status_changed')
      .execute();
    expect(audit).toEqual([{ action: 'agreement.status_changed', actor_user_id: null }]);
  });

  it('sends a pilot past its end date to review', async () => {
    const id = await agreement({ status: 'pilot', pilotEndsAt: addDays(START, 30) });
    t.clock.set(addDays(START, 29));
    expect((await run(id)).underReview).toBe(0);
    t.clock.set(addDays(START, 30));
    expect(await run(id)).toMatchObject({ underReview: 1, triggers: { pilot_end: 1 } });
    const last = (await events(id)).at(-1);
    expect(last).toMatchObject({
      action: 'review_triggered',
      from_status: 'pilot',
      to_status: 'under_review',
      actor_user_id: null,
    });
    expect(last?.details).toMatchObject({ trigger: 'pilot_end' });
    expect((await run(id)).underReview).toBe(0);
  });

  it('sunset {days}: reviews once within the window, not again after the review concluded', async () => {
    const sunset = addDays(START, 100);
    const id = await agreement({
      status: 'active',
      sunsetAt: sunset,
      reviewTriggers: [{ kind: 'sunset', days: 30 }],
    });
    t.clock.set(addDays(sunset, -31));
    expect((await run(id)).underReview).toBe(0);
    t.clock.set(addDays(sunset, -30));
    expect(await run(id)).toMatchObject({ underReview: 1, triggers: { sunset: 1 } });
    expect((await state(id)).status).toBe('under_review');
    t.clock.advanceDays(2);
    await conclude(id);
    expect((await run(id)).underReview).toBe(0);
    expect((await state(id)).status).toBe('active');
    t.clock.set(sunset);
    expect((await run(id)).expired).toBe(1);
  });

  it('periodic {months}: counts from validFrom, then from the last review', async () => {
    const validFrom = addDays(START, -10);
    const id = await agreement({
      status: 'active',
      validFrom,
      sunsetAt: addDays(START, 1000),
      reviewTriggers: [{ kind: 'periodic', months: 6 }],
    });
    const due = addMonths(validFrom, 6);
    t.clock.set(new Date(due.getTime() - 1));
    expect((await run(id)).underReview).toBe(0);
    t.clock.set(due);
    expect(await run(id)).toMatchObject({ underReview: 1, triggers: { periodic: 1 } });
    t.clock.advanceDays(5);
    const reviewedAt = t.clock.now();
    await conclude(id);
    expect((await state(id)).last_reviewed_at).toEqual(reviewedAt);
    expect((await run(id)).underReview).toBe(0);
    t.clock.set(new Date(addMonths(reviewedAt, 6).getTime() - 1));
    expect((await run(id)).underReview).toBe(0);
    t.clock.set(addMonths(reviewedAt, 6));
    expect((await run(id)).underReview).toBe(1);
  });

  it('volume {records}: fires when more than N were exchanged; concluding the review resets the count', async () => {
    const id = await agreement({ status: 'active', reviewTriggers: [{ kind: 'volume', records: 10 }] });
    await addExchanged(t.ctx.db, id, 10);
    expect((await run(id)).underReview).toBe(0);
    await addExchanged(t.ctx.db, id, 1);
    const summary = await run(id);
    expect(summary).toMatchObject({ underReview: 1, triggers: { volume: 1 } });
    const last = (await events(id)).at(-1);
    expect(last?.details).toMatchObject({
      trigger: 'volume',
      triggers: [{ kind: 'volume', records: 10, exchanged: 11 }],
    });
    await conclude(id);
    expect((await state(id)).exchanged_since_review).toBe(0);
    expect((await run(id)).underReview).toBe(0);
  });

  it('records every trigger that fired together, and leaves non-live agreements alone', async () => {
    const id = await agreement({
      status: 'pilot',
      pilotEndsAt: addDays(START, 10),
      sunsetAt: addDays(START, 20),
      reviewTriggers: [{ kind: 'sunset', days: 15 }, { kind: 'periodic', months: 12 }, { kind: 'incident' }],
    });
    t.clock.set(addDays(START, 10));
    const summary = await run(id);
    expect(summary).toMatchObject({ underReview: 1, triggers: { pilot_end: 1, sunset: 1 } });
    const last = (await events(id)).at(-1);
    expect(((last?.details.triggers ?? []) as { kind: string }[]).map((x) => x.kind)).toEqual([
      'pilot_end',
      'sunset',
    ]);
    // Under review: the other triggers no longer apply, only the sunset does.
    t.clock.set(addDays(START, 19));
    expect(await run(id)).toMatchObject({ checked: 1, underReview: 0, expired: 0 });
  });
});
