import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/support/context.js';
import { createTestApp } from '../../../test/support/context.js';
import {
  createAgreement,
  createOrg,
  createUser,
  type TestOrg,
  type TestUser,
} from '../../../test/support/factories.js';
import type { AgreementStatus } from '../../domain/vocabulary.js';
import { AGREEMENT_STATUSES } from '../../domain/vocabulary.js';
import { addDays } from '../../platform/clock.js';
import { TRANSITIONS } from './agreements.lifecycle.js';

const START = new Date('2026-06-01T12:00:00Z');

/** Two party organizations and an outsider, with users in every role the tests need. */
interface World {
  a: TestOrg;
  b: TestOrg;
  outsider: TestOrg;
  adminA: TestUser;
  adminB: TestUser;
  viewerA: TestUser;
  liaisonB: TestUser;
  auditorA: TestUser;
  analystB: TestUser;
  outsiderAdmin: TestUser;
  platformAdmin: TestUser;
}

/** Builds fresh organizations and users, so a test never sees another test's agreements. */
async function makeWorld(t: TestApp): Promise<World> {
  const { ctx } = t;
  const [a, b, outsider] = await Promise.all([createOrg(ctx), createOrg(ctx), createOrg(ctx)]);
  const [adminA, adminB, viewerA, liaisonB, auditorA, analystB, outsiderAdmin, platformAdmin] =
    await Promise.all([
      createUser(ctx, a, ['org_admin']),
      createUser(ctx, b, ['org_admin']),
      createUser(ctx, a, ['viewer']),
      createUser(ctx, b, ['liaison']),
      createUser(ctx, a, ['auditor']),
      createUser(ctx, b, ['analyst']),
      createUser(ctx, outsider, ['org_admin']),
      createUser(ctx, outsider, ['platform_admin']),
    ]);
  return {
    a,
    b,
    outsider,
    adminA,
    adminB,
    viewerA,
    liaisonB,
    auditorA,
    analystB,
    outsiderAdmin,
    platformAdmin,
  };
}

/** A valid creation body for the given parties. */
function draftBody(parties: string[], over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Cross-border drug trafficking data exchange',
    kind: 'mou',
    description: 'Exchange of suspect and route data.',
    parties,
    scope: {
      crimeAreas: ['drug_trafficking', 'money_laundering'],
      dataCategories: ['persons', 'financial'],
      purposes: ['criminal_investigation'],
    },
    ceiling: { tlp: 'TLP:AMBER', h2Allowed: false, onwardTransfer: false },
    matchingAllowed: true,
    maxRetentionDays: 365,
    validFrom: addDays(START, -1).toISOString(),
    sunsetAt: addDays(START, 365).toISOString(),
    reviewTriggers: [{ kind: 'periodic', months: 12 }, { kind: 'incident' }],
    ...over,
  };
}

interface AgreementJson {
  id: string;
  status: AgreementStatus;
  version: number;
  flowing: boolean;
  sunsetAt: string;
  lastReviewedAt: string | null;
  exchangedSinceReview: number;
  permissions: string[];
  parties: { organization: { id: string }; signedAt: string | null; signedBy: { id: string } | null }[];
  extensions: {
    id: string;
    status: string;
    newSunsetAt: string;
    consents: { organization: { id: string } }[];
    awaiting: { id: string }[];
  }[];
  incidents: { id: string; resolvedAt: string | null; description: string }[];
}

/** Creates a draft through the API as `user`. */
async function createDraft(
  t: TestApp,
  user: TestUser,
  parties: string[],
  over: Record<string, unknown> = {},
): Promise<AgreementJson> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/agreements',
    headers: user.auth,
    payload: draftBody(parties, over),
  });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json<AgreementJson>();
}

/** POSTs to an agreement action and returns the response. */
function act(t: TestApp, user: TestUser, id: string, path: string, payload?: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/agreements/${id}${path}`,
    headers: user.auth,
    ...(payload ? { payload } : {}),
  });
}

/** Creates, has every admin sign, and activates (or starts the pilot of) an agreement through the API. */
async function createActive(
  t: TestApp,
  w: World,
  to: 'active' | 'pilot' = 'active',
  over: Record<string, unknown> = {},
): Promise<AgreementJson> {
  const draft = await createDraft(t, w.adminA, [w.a.id, w.b.id], over);
  for (const u of [w.adminA, w.adminB]) {
    const r = await act(t, u, draft.id, '/sign');
    if (r.statusCode !== 200) throw new Error(`sign failed: ${r.body}`);
  }
  const r = await act(t, w.adminA, draft.id, '/transition', { to, reason: 'all parties signed' });
  if (r.statusCode !== 200) throw new Error(`activate failed: ${r.body}`);
  return r.json<AgreementJson>();
}

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp(START);
});
afterAll(async () => {
  await t.app.close();
});
beforeEach(async () => {
  t.clock.set(START);
  w = await makeWorld(t);
});

function get(user: TestUser | null, url: string) {
  return t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: user ? user.auth : {} });
}

interface HistoryJson {
  items: {
    action: string;
    fromStatus: string | null;
    toStatus: string | null;
    actor: { user: { id: string } | null; organization: { id: string } | null };
    details: Record<string, unknown>;
  }[];
}

async function history(id: string, user: TestUser = w.adminA): Promise<HistoryJson['items']> {
  const res = await get(user, `/agreements/${id}/history`);
  expect(res.statusCode).toBe(200);
  return res.json<HistoryJson>().items;
}

describe('POST /agreements', () => {
  it('401 without credentials', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/agreements', payload: draftBody([]) });
    expect(res.statusCode).toBe(401);
  });

  it('400 names the field of every schema violation', async () => {
    const body = draftBody([w.a.id, w.b.id], {
      title: '',
      kind: 'alliance',
      scope: {
        crimeAreas: ['jaywalking'],
        dataCategories: ['persons'],
        purposes: ['criminal_investigation'],
      },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agreements',
      headers: w.adminA.auth,
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ errors: { field: string; rule: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.title', 'body.kind', 'body.scope.crimeAreas.0']));
  });

  it.each([
    [{ ceiling: { tlp: 'TLP:RED', h2Allowed: false, onwardTransfer: false } }, 'body.ceiling.tlp', 'not_red'],
    [{ sunsetAt: addDays(START, -2).toISOString() }, 'body.sunsetAt', 'after_valid_from'],
    [
      { validFrom: addDays(START, -30).toISOString(), sunsetAt: addDays(START, -1).toISOString() },
      'body.sunsetAt',
      'in_future',
    ],
    [
      { pilot: { endsAt: addDays(START, 400).toISOString(), successCriteria: 'Ten hits' } },
      'body.pilot.endsAt',
      'not_after_sunset',
    ],
    [{ pilot: { endsAt: addDays(START, 30).toISOString() } }, 'body.pilot.successCriteria', 'required'],
    [{ reviewTriggers: [{ kind: 'periodic' }] }, 'body.reviewTriggers.0.months', 'required'],
    [{ reviewTriggers: [{ kind: 'incident', days: 3 }] }, 'body.reviewTriggers.0.days', 'not_allowed'],
    [
      {
        reviewTriggers: [
          { kind: 'volume', records: 5 },
          { kind: 'volume', records: 9 },
        ],
      },
      'body.reviewTriggers.1.kind',
      'unique',
    ],
    [{ maxRetentionDays: 0 }, 'body.maxRetentionDays', 'minimum'],
  ])('400 for %j at %s', async (over, field, rule) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agreements',
      headers: w.adminA.auth,
      payload: draftBody([w.a.id, w.b.id], over),
    });
    expect(res.statusCode).toBe(400);
    const errors = res.json<{ errors: { field: string; rule: string }[] }>().errors;
    expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  });

  it('400 when the creator’s organization is not a party, or a party does not exist', async () => {
    const notMine = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agreements',
      headers: w.adminA.auth,
      payload: draftBody([w.b.id, w.outsider.id]),
    });
    expect(notMine.statusCode).toBe(400);
    expect(notMine.json().errors[0]).toMatchObject({
      field: 'body.parties',
      rule: 'includes_own_organization',
    });
    const ghost = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agreements',
      headers: w.adminA.auth,
      payload: draftBody([w.a.id, '00000000-0000-4000-8000-000000000000']),
    });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json().errors[0]).toMatchObject({ field: 'body.parties', rule: 'exists' });
  });

  it('403 for roles other than org_admin and platform_admin, and for read-only tokens', async () => {
    for (const user of [w.viewerA, w.auditorA]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/agreements',
        headers: user.auth,
        payload: draftBody([w.a.id, w.b.id]),
      });
      expect(res.statusCode).toBe(403);
    }
    const { createUser } = await import('../../../test/support/factories.js');
    const readOnly = await createUser(t.ctx, w.a, ['org_admin'], { scopes: ['agreements:read'] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agreements',
      headers: readOnly.auth,
      payload: draftBody([w.a.id, w.b.id]),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('insufficient_scope');
  });

  it('201: a party org_admin creates a draft; a platform_admin may create one between others', async () => {
    const created = await createDraft(t, w.adminA, [w.a.id, w.b.id]);
    expect(created).toMatchObject({
      status: 'draft',
      version: 1,
      flowing: false,
      parties: expect.arrayContaining([expect.objectContaining({ signedAt: null, signedBy: null })]),
    });
    expect(created.permissions).toEqual(expect.arrayContaining(['edit', 'sign']));
    expect(created.permissions.some((p) => p.startsWith('transition:'))).toBe(false);
    const byAdmin = await createDraft(t, w.platformAdmin, [w.a.id, w.b.id]);
    expect(byAdmin.status).toBe('draft');
    expect(byAdmin.permissions).toContain('edit');
    expect(byAdmin.permissions).not.toContain('sign'); // not a party: cannot sign for anyone
  });

  it('409 when the reference is taken', async () => {
    const ref = `MOU-${w.a.slug}`;
    await createDraft(t, w.adminA, [w.a.id, w.b.id], { reference: ref });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agreements',
      headers: w.adminB.auth,
      payload: draftBody([w.a.id, w.b.id], { reference: ref }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('reference_taken');
  });
});

describe('reading agreements', () => {
  it('GET /agreements/{id}: 401, 404 for non-parties, 200 for every role of a party and platform admins', async () => {
    const ag = await createDraft(t, w.adminA, [w.a.id, w.b.id]);
    expect((await get(null, `/agreements/${ag.id}`)).statusCode).toBe(401);
    expect((await get(w.outsiderAdmin, `/agreements/${ag.id}`)).statusCode).toBe(404);
    expect((await get(w.outsiderAdmin, `/agreements/${ag.id}/history`)).statusCode).toBe(404);
    expect((await get(w.adminA, '/agreements/not-a-uuid')).statusCode).toBe(400);
    for (const user of [w.adminA, w.viewerA, w.auditorA, w.liaisonB, w.analystB, w.platformAdmin]) {
      const res = await get(user, `/agreements/${ag.id}`);
      expect(res.statusCode).toBe(200);
    }
    const viewer = (await get(w.viewerA, `/agreements/${ag.id}`)).json<AgreementJson>();
    expect(viewer.permissions).toEqual([]);
  });

  it('GET /agreements lists only the parties’ agreements, with filters and pagination in SQL', async () => {
    const one = await createDraft(t, w.adminA, [w.a.id, w.b.id], { title: `Maritime pact ${w.a.slug}` });
    const two = await createActive(t, w);
    const third = await createOrg(t.ctx);
    const admin3 = await createUser(t.ctx, third, ['org_admin']);
    const three = await createDraft(t, admin3, [third.id, w.b.id], { kind: 'treaty' });

    const forA = (await get(w.viewerA, `/agreements?party=${w.a.id}`)).json<{
      items: AgreementJson[];
      total: number;
    }>();
    expect(forA.items.map((i) => i.id).sort()).toEqual([one.id, two.id].sort());
    expect(forA.total).toBe(2);
    // A's users never see the agreement between the third organization and B.
    const all = (await get(w.viewerA, '/agreements?limit=200')).json<{ items: AgreementJson[] }>();
    expect(all.items.map((i) => i.id)).not.toContain(three.id);
    expect((await get(w.outsiderAdmin, `/agreements?party=${w.a.id}`)).json().total).toBe(0);

    const forB = (await get(w.liaisonB, `/agreements?party=${w.b.id}`)).json<{ total: number }>();
    expect(forB.total).toBe(3);
    const active = (await get(w.liaisonB, `/agreements?party=${w.b.id}&status=active`)).json<{
      items: AgreementJson[];
    }>();
    expect(active.items.map((i) => i.id)).toEqual([two.id]);
    const treaties = (await get(w.liaisonB, `/agreements?party=${w.b.id}&kind=treaty`)).json<{
      items: AgreementJson[];
    }>();
    expect(treaties.items.map((i) => i.id)).toEqual([three.id]);
    const q = (await get(w.liaisonB, `/agreements?q=${encodeURIComponent(`pact ${w.a.slug}`)}`)).json<{
      items: AgreementJson[];
    }>();
    expect(q.items.map((i) => i.id)).toEqual([one.id]);
    const page = (await get(w.liaisonB, `/agreements?party=${w.b.id}&limit=2&offset=2`)).json<{
      items: AgreementJson[];
      total: number;
      limit: number;
      offset: number;
    }>();
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(page.items).toHaveLength(1);
    const admin = (await get(w.platformAdmin, `/agreements?party=${third.id}`)).json<{
      items: AgreementJson[];
    }>();
    expect(admin.items.map((i) => i.id)).toEqual([three.id]);
    expect((await get(w.viewerA, '/agreements?status=bogus')).statusCode).toBe(400);
    expect((await get(null, '/agreements')).statusCode).toBe(401);
  });
});

describe('editing a draft', () => {
  it('walks 401 → 400 → 404 → 403 → 409 (version) → 200, withdrawing signatures and recording before/after', async () => {
    const ag = await createDraft(t, w.adminA, [w.a.id, w.b.id]);
    const patch = (user: TestUser | null, payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/agreements/${ag.id}`,
        headers: user ? user.auth : {},
        payload,
      });
    expect((await patch(null, { version: 1, title: 'x' })).statusCode).toBe(401);
    const noVersion = await patch(w.adminA, { title: 'x' });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().errors[0].field).toBe('body.version');
    expect((await patch(w.outsiderAdmin, { version: 1, title: 'x' })).statusCode).toBe(404);
    expect((await patch(w.viewerA, { version: 1, title: 'x' })).statusCode).toBe(403);
    expect((await patch(w.liaisonB, { version: 1, title: 'x' })).statusCode).toBe(403);

    expect((await act(t, w.adminB, ag.id, '/sign')).statusCode).toBe(200); // version 2
    const stale = await patch(w.adminA, { version: 1, title: 'Renamed' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');

    const badMerge = await patch(w.adminA, { version: 2, sunsetAt: addDays(START, -3).toISOString() });
    expect(badMerge.statusCode).toBe(400);
    expect(badMerge.json().errors[0]).toMatchObject({ field: 'body.sunsetAt', rule: 'after_valid_from' });

    const ok = await patch(w.adminA, {
      version: 2,
      title: 'Renamed',
      ceiling: { tlp: 'TLP:GREEN', h2Allowed: true, onwardTransfer: false },
    });
    expect(ok.statusCode).toBe(200);
    const body = ok.json<AgreementJson & { title: string; ceiling: { tlp: string } }>();
    expect(body).toMatchObject({ title: 'Renamed', version: 3, ceiling: { tlp: 'TLP:GREEN' } });
    expect(body.parties.every((p) => p.signedAt === null)).toBe(true);

    const updated = (await history(ag.id)).find((h) => h.action === 'updated');
    expect(updated?.details).toMatchObject({
      changes: {
        title: { before: 'Cross-border drug trafficking data exchange', after: 'Renamed' },
        ceiling: {
          before: { tlp: 'TLP:AMBER', h2Allowed: false },
          after: { tlp: 'TLP:GREEN', h2Allowed: true },
        },
      },
      signaturesWithdrawn: [w.b.id],
    });
    expect(Object.keys(updated?.details.changes as object).sort()).toEqual(['ceiling', 'title']);
  });

  it('409 invalid_state once the agreement is no longer a draft', async () => {
    const ag = await createActive(t, w);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/agreements/${ag.id}`,
      headers: w.adminA.auth,
      payload: { version: ag.version, title: 'Too late' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('invalid_state');
  });
});

describe('signing', () => {
  it('each party org_admin signs for their own organization once; others are refused', async () => {
    const ag = await createDraft(t, w.adminA, [w.a.id, w.b.id]);
    expect((await act(t, w.outsiderAdmin, ag.id, '/sign')).statusCode).toBe(404);
    expect((await act(t, w.viewerA, ag.id, '/sign')).statusCode).toBe(403);
    expect((await act(t, w.liaisonB, ag.id, '/sign')).statusCode).toBe(403);
    // A platform admin outside the parties can read the agreement but not sign for anyone.
    expect((await act(t, w.platformAdmin, ag.id, '/sign')).statusCode).toBe(403);
    const signed = await act(t, w.adminA, ag.id, '/sign');
    expect(signed.statusCode).toBe(200);
    const a = signed.json<AgreementJson>().parties.find((p) => p.organization.id === w.a.id);
    expect(a?.signedAt).toBe(START.toISOString());
    expect(a?.signedBy?.id).toBe(w.adminA.id);
    expect(signed.json<AgreementJson>().permissions).not.toContain('sign');
    const again = await act(t, w.adminA, ag.id, '/sign');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_signed');
  });

  it('activation needs every signature (409 signatures_missing), a pilot needs its definition', async () => {
    const ag = await createDraft(t, w.adminA, [w.a.id, w.b.id]);
    await act(t, w.adminA, ag.id, '/sign');
    const early = await act(t, w.adminA, ag.id, '/transition', { to: 'active' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('signatures_missing');
    expect((await get(w.adminA, `/agreements/${ag.id}`)).json<AgreementJson>().permissions).not.toContain(
      'transition:active',
    );
    await act(t, w.adminB, ag.id, '/sign');
    const perms = (await get(w.adminA, `/agreements/${ag.id}`)).json<AgreementJson>().permissions;
    expect(perms).toContain('transition:active');
    expect(perms).not.toContain('transition:pilot'); // no pilot defined
    const pilot = await act(t, w.adminA, ag.id, '/transition', { to: 'pilot' });
    expect(pilot.statusCode).toBe(409);
    expect(pilot.json().code).toBe('pilot_not_defined');
    const active = await act(t, w.adminA, ag.id, '/transition', { to: 'active' });
    expect(active.statusCode).toBe(200);
    expect(active.json<AgreementJson>()).toMatchObject({ status: 'active', flowing: true });
    expect((await act(t, w.adminB, ag.id, '/sign')).json().code).toBe('invalid_state');
  });
});

describe('lifecycle transitions', () => {
  it('allows exactly the transitions of the lifecycle and refuses the rest with 409 invalid_transition', async () => {
    const cases: [AgreementStatus, AgreementStatus][] = [];
    for (const from of AGREEMENT_STATUSES) for (const to of AGREEMENT_STATUSES) cases.push([from, to]);
    for (const [from, to] of cases) {
      const { id } = await createAgreement(t.ctx, { parties: [w.a.id, w.b.id], status: from });
      await t.ctx.db
        .updateTable('agreements')
        .set({ pilot_ends_at: addDays(START, 60), pilot_success_criteria: 'Two joint cases' })
        .where('id', '=', id)
        .execute();
      const res = await act(t, w.adminA, id, '/transition', { to, reason: 'table test' });
      const allowed = TRANSITIONS[from].includes(to);
      expect([from, to, res.statusCode]).toEqual([from, to, allowed ? 200 : 409]);
      if (allowed) expect(res.json<AgreementJson>().status).toBe(to);
      else expect(res.json().code).toBe('invalid_transition');
    }
    // The table covers every legal edge of DOMAIN.md's lifecycle, and nothing leads to `expired` by hand.
    expect(TRANSITIONS.draft).toEqual(['pilot', 'active']);
    expect(Object.values(TRANSITIONS).some((targets) => targets.includes('expired'))).toBe(false);
  });

  it('authorizes transitions: 404 outsiders, 403 party viewers/liaisons, 200 party org_admin and platform_admin', async () => {
    const ag = await createActive(t, w);
    expect((await act(t, w.outsiderAdmin, ag.id, '/transition', { to: 'under_review' })).statusCode).toBe(
      404,
    );
    expect((await act(t, w.viewerA, ag.id, '/transition', { to: 'under_review' })).statusCode).toBe(403);
    expect((await act(t, w.liaisonB, ag.id, '/transition', { to: 'under_review' })).statusCode).toBe(403);
    expect((await act(t, w.viewerA, ag.id, '/transition', { to: 'nowhere' })).statusCode).toBe(400);
    const review = await act(t, w.platformAdmin, ag.id, '/transition', {
      to: 'under_review',
      reason: 'audit',
    });
    expect(review.statusCode).toBe(200);
    const noReason = await act(t, w.adminB, ag.id, '/transition', { to: 'terminated' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0]).toMatchObject({ field: 'body.reason', rule: 'required' });
    const stale = await act(t, w.adminB, ag.id, '/transition', { to: 'active', version: 1 });
    expect(stale.json().code).toBe('version_conflict');
    const ended = await act(t, w.adminB, ag.id, '/transition', { to: 'terminated', reason: 'Not renewed' });
    expect(ended.statusCode).toBe(200);
    expect(ended.json<AgreementJson>()).toMatchObject({
      status: 'terminated',
      flowing: false,
      permissions: [],
    });
  });

  it('a pilot runs until its end, then scales to active or stops', async () => {
    const pilotDef = {
      pilot: { endsAt: addDays(START, 90).toISOString(), successCriteria: 'Three joint cases' },
    };
    const ag = await createActive(t, w, 'pilot', pilotDef);
    const other = await createActive(t, w, 'pilot', pilotDef);
    expect(ag).toMatchObject({ status: 'pilot', flowing: true });
    expect(ag.permissions).toEqual(
      expect.arrayContaining(['transition:active', 'transition:under_review', 'transition:terminated']),
    );
    t.clock.set(addDays(START, 90));
    expect((await get(w.adminA, `/agreements/${ag.id}`)).json<AgreementJson>().flowing).toBe(false);
    const scaled = await act(t, w.adminB, ag.id, '/transition', { to: 'active', reason: 'Criteria met' });
    expect(scaled.json<AgreementJson>()).toMatchObject({ status: 'active', flowing: true });

    const stopped = await act(t, w.adminA, other.id, '/transition', {
      to: 'terminated',
      reason: 'No results',
    });
    expect(stopped.json<AgreementJson>().status).toBe('terminated');
  });

  it('concluding a review sets the review date and resets the volume counter', async () => {
    const ag = await createActive(t, w);
    await t.ctx.db
      .updateTable('agreements')
      .set({ exchanged_since_review: 42 })
      .where('id', '=', ag.id)
      .execute();
    await act(t, w.adminA, ag.id, '/transition', { to: 'under_review', reason: 'annual' });
    t.clock.advanceDays(3);
    const back = (
      await act(t, w.adminB, ag.id, '/transition', { to: 'active', reason: 'fine' })
    ).json<AgreementJson>();
    expect(back).toMatchObject({
      status: 'active',
      lastReviewedAt: addDays(START, 3).toISOString(),
      exchangedSinceReview: 0,
    });
  });

  it('data stops flowing at the sunset exactly, and cannot be restarted after it', async () => {
    const sunset = addDays(START, 10);
    const ag = await createActive(t, w, 'active', { sunsetAt: sunset.toISOString() });
    t.clock.set(new Date(sunset.getTime() - 1));
    expect((await get(w.viewerA, `/agreements/${ag.id}`)).json<AgreementJson>().flowing).toBe(true);
    t.clock.set(sunset);
    const after = (await get(w.viewerA, `/agreements/${ag.id}`)).json<AgreementJson>();
    expect(after).toMatchObject({ status: 'active', flowing: false });
    await act(t, w.adminA, ag.id, '/transition', { to: 'under_review', reason: 'sunset' });
    const restart = await act(t, w.adminA, ag.id, '/transition', { to: 'active', reason: 'keep going' });
    expect(restart.statusCode).toBe(409);
    expect(restart.json().code).toBe('sunset_passed');
  });
});

describe('incidents', () => {
  it('a party liaison reports: the agreement is suspended at once; the review resolves it', async () => {
    const ag = await createActive(t, w);
    const payload = { description: 'Data forwarded to a non-party' };
    expect((await act(t, w.liaisonB, ag.id, '/incidents', {})).statusCode).toBe(400);
    expect((await act(t, w.outsiderAdmin, ag.id, '/incidents', payload)).statusCode).toBe(404);
    expect((await act(t, w.viewerA, ag.id, '/incidents', payload)).statusCode).toBe(403);
    expect((await act(t, w.analystB, ag.id, '/incidents', payload)).statusCode).toBe(403);
    expect((await get(w.liaisonB, `/agreements/${ag.id}`)).json<AgreementJson>().permissions).toEqual([
      'report_incident',
    ]);
    const res = await act(t, w.liaisonB, ag.id, '/incidents', payload);
    expect(res.statusCode).toBe(201);
    const suspended = res.json<AgreementJson>();
    expect(suspended).toMatchObject({ status: 'suspended', flowing: false });
    expect(suspended.incidents).toEqual([
      expect.objectContaining({ description: payload.description, resolvedAt: null }),
    ]);
    // A second report keeps it suspended and is recorded too.
    const second = await act(t, w.adminA, ag.id, '/incidents', { description: 'Also: late deletion' });
    expect(second.json<AgreementJson>()).toMatchObject({ status: 'suspended' });

    t.clock.advanceDays(1);
    const review = await act(t, w.adminA, ag.id, '/transition', {
      to: 'under_review',
      reason: 'investigate',
    });
    expect(review.json<AgreementJson>().incidents.every((i) => i.resolvedAt === null)).toBe(true);
    t.clock.advanceDays(1);
    const resumed = (
      await act(t, w.adminA, ag.id, '/transition', { to: 'active', reason: 'Remedied' })
    ).json<AgreementJson>();
    expect(resumed.status).toBe('active');
    expect(resumed.incidents.map((i) => i.resolvedAt)).toEqual([
      addDays(START, 2).toISOString(),
      addDays(START, 2).toISOString(),
    ]);
    const items = await history(ag.id);
    const reported = items.filter((h) => h.action === 'incident_reported');
    expect(reported[0]).toMatchObject({ fromStatus: 'active', toStatus: 'suspended' });
    expect(reported[0]?.actor.user?.id).toBe(w.liaisonB.id);
    expect(items.at(-1)?.details.resolvedIncidents).toHaveLength(2);
  });

  it('409 on a draft', async () => {
    const ag = await createDraft(t, w.adminA, [w.a.id, w.b.id]);
    const res = await act(t, w.adminA, ag.id, '/incidents', { description: 'x' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('invalid_state');
  });
});

describe('extensions', () => {
  async function threeParty() {
    const c = await createOrg(t.ctx);
    const adminC = await createUser(t.ctx, c, ['org_admin']);
    const draft = await createDraft(t, w.adminA, [w.a.id, w.b.id, c.id]);
    for (const u of [w.adminA, w.adminB, adminC]) await act(t, u, draft.id, '/sign');
    const ag = (await act(t, w.adminA, draft.id, '/transition', { to: 'active' })).json<AgreementJson>();
    return { c, adminC, ag };
  }
  const newSunset = addDays(START, 730).toISOString();

  it('applies only when the last party consents', async () => {
    const { c, adminC, ag } = await threeParty();
    const propose = (user: TestUser, payload: Record<string, unknown>) =>
      act(t, user, ag.id, '/extensions', payload);
    expect((await propose(w.adminA, { newSunsetAt: newSunset })).statusCode).toBe(400);
    expect((await propose(w.outsiderAdmin, { newSunsetAt: newSunset, reason: 'x' })).statusCode).toBe(404);
    expect((await propose(w.viewerA, { newSunsetAt: newSunset, reason: 'x' })).statusCode).toBe(403);
    const backwards = await propose(w.adminA, {
      newSunsetAt: addDays(START, 100).toISOString(),
      reason: 'x',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0]).toMatchObject({
      field: 'body.newSunsetAt',
      rule: 'after_current_sunset',
    });

    const proposed = await propose(w.adminA, { newSunsetAt: newSunset, reason: 'Operation continues' });
    expect(proposed.statusCode).toBe(201);
    const ext = proposed.json<AgreementJson>().extensions[0];
    expect(ext).toMatchObject({ status: 'pending', newSunsetAt: newSunset });
    expect(ext?.awaiting.map((o) => o.id).sort()).toEqual([w.b.id, c.id].sort());
    expect(proposed.json<AgreementJson>().sunsetAt).toBe(ag.sunsetAt);
    expect(proposed.json<AgreementJson>().permissions).not.toContain('consent_extension');
    const dup = await propose(w.adminB, { newSunsetAt: newSunset, reason: 'again' });
    expect(dup.json().code).toBe('extension_pending');

    const extId = ext?.id ?? '';
    expect((await act(t, w.adminA, ag.id, `/extensions/${extId}/consent`)).json().code).toBe(
      'already_consented',
    );
    expect((await act(t, w.liaisonB, ag.id, `/extensions/${extId}/consent`)).statusCode).toBe(403);
    expect((await act(t, w.platformAdmin, ag.id, `/extensions/${extId}/consent`)).statusCode).toBe(403);
    const fake = '00000000-0000-4000-8000-000000000001';
    expect((await act(t, w.adminB, ag.id, `/extensions/${fake}/consent`)).statusCode).toBe(404);

    const afterB = (await act(t, w.adminB, ag.id, `/extensions/${extId}/consent`)).json<AgreementJson>();
    expect(afterB.extensions[0]?.status).toBe('pending');
    expect(afterB.sunsetAt).toBe(ag.sunsetAt);
    const afterC = await act(t, adminC, ag.id, `/extensions/${extId}/consent`);
    expect(afterC.statusCode).toBe(200);
    const applied = afterC.json<AgreementJson>();
    expect(applied.extensions[0]).toMatchObject({ status: 'applied', awaiting: [] });
    expect(applied.sunsetAt).toBe(newSunset);
    const actions = (await history(ag.id)).map((h) => h.action);
    expect(actions.slice(-4)).toEqual([
      'extension_proposed',
      'extension_consented',
      'extension_consented',
      'extension_applied',
    ]);
  });

  it('a decline stops it; an ended agreement cannot be extended', async () => {
    const { adminC, ag } = await threeParty();
    const proposed = (
      await act(t, w.adminB, ag.id, '/extensions', { newSunsetAt: newSunset, reason: 'More time' })
    ).json<AgreementJson>();
    const extId = proposed.extensions[0]?.id ?? '';
    expect((await act(t, w.viewerA, ag.id, `/extensions/${extId}/decline`)).statusCode).toBe(403);
    const declined = await act(t, w.adminA, ag.id, `/extensions/${extId}/decline`, { reason: 'Budget ends' });
    expect(declined.statusCode).toBe(200);
    expect(declined.json<AgreementJson>().extensions[0]?.status).toBe('declined');
    expect(declined.json<AgreementJson>().sunsetAt).toBe(ag.sunsetAt);
    const late = await act(t, adminC, ag.id, `/extensions/${extId}/consent`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('extension_decided');
    const declineAgain = await act(t, adminC, ag.id, `/extensions/${extId}/decline`);
    expect(declineAgain.json().code).toBe('extension_decided');

    await act(t, w.adminA, ag.id, '/transition', { to: 'under_review', reason: 'r' });
    await act(t, w.adminA, ag.id, '/transition', { to: 'terminated', reason: 'Ended' });
    const ended = await act(t, w.adminA, ag.id, '/extensions', { newSunsetAt: newSunset, reason: 'x' });
    expect(ended.statusCode).toBe(409);
    expect(ended.json().code).toBe('invalid_state');
  });

  it('terminating lapses a pending extension', async () => {
    const ag = await createActive(t, w);
    const proposed = (
      await act(t, w.adminA, ag.id, '/extensions', { newSunsetAt: newSunset, reason: 'More time' })
    ).json<AgreementJson>();
    await act(t, w.adminA, ag.id, '/transition', { to: 'under_review', reason: 'r' });
    const ended = (
      await act(t, w.adminA, ag.id, '/transition', { to: 'terminated', reason: 'Ended' })
    ).json<AgreementJson>();
    expect(ended.extensions[0]).toMatchObject({ id: proposed.extensions[0]?.id, status: 'lapsed' });
    const consent = await act(t, w.adminB, ag.id, `/extensions/${proposed.extensions[0]?.id}/consent`);
    expect(consent.json().code).toBe('extension_decided');
  });
});

describe('history', () => {
  it('records every change with its actor, statuses and details, oldest first', async () => {
    const ag = await createActive(t, w);
    await act(t, w.liaisonB, ag.id, '/incidents', { description: 'breach' });
    await act(t, w.adminA, ag.id, '/transition', { to: 'under_review', reason: 'incident review' });
    await act(t, w.adminA, ag.id, '/transition', { to: 'active', reason: 'resolved' });
    const items = await history(ag.id, w.auditorA);
    expect(items.map((i) => [i.action, i.fromStatus, i.toStatus])).toEqual([
      ['created', null, 'draft'],
      ['signed', null, null],
      ['signed', null, null],
      ['status_changed', 'draft', 'active'],
      ['incident_reported', 'active', 'suspended'],
      ['status_changed', 'suspended', 'under_review'],
      ['status_changed', 'under_review', 'active'],
    ]);
    expect(items[0]?.actor.organization?.id).toBe(w.a.id);
    expect(items[2]?.actor.user?.id).toBe(w.adminB.id);
    expect(items[2]?.details).toMatchObject({ organizationId: w.b.id, allSigned: true });
    expect(items[3]?.details).toMatchObject({ reason: 'all parties signed' });

    // Each history row has its audit entry and outbox event, written in the same transaction.
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_type', '=', 'agreement')
      .where('object_id', '=', ag.id)
      .where('action', '!=', 'agreement.read')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(items.map((i) => `agreement.${i.action}`));
    const outbox = await t.ctx.db
      .selectFrom('outbox')
      .select(['topic', 'payload'])
      .where(({ ref }) => ref('payload', '->>').key('agreementId' as never), '=', ag.id)
      .orderBy('id')
      .execute();
    const topics = outbox.map((o) => o.topic);
    expect(topics.filter((x) => x === 'agreement.status_changed')).toHaveLength(4);
    expect(topics).toContain('agreement.incident_reported');
  });
});

describe('OpenAPI', () => {
  it('documents every agreements route with its schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths).filter((p) =>
      p.startsWith('/api/v1/agreements'),
    );
    expect(paths.sort()).toEqual([
      '/api/v1/agreements',
      '/api/v1/agreements/{id}',
      '/api/v1/agreements/{id}/extensions',
      '/api/v1/agreements/{id}/extensions/{extensionId}/consent',
      '/api/v1/agreements/{id}/extensions/{extensionId}/decline',
      '/api/v1/agreements/{id}/history',
      '/api/v1/agreements/{id}/incidents',
      '/api/v1/agreements/{id}/sign',
      '/api/v1/agreements/{id}/transition',
    ]);
  });
});
