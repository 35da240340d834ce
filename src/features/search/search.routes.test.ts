import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/support/context.js';
import {
  createAgreement,
  createOrg,
  createRecord,
  createUser,
  type RecordInput,
  type TestUser,
  uniq,
} from '../../../test/support/factories.js';
import type { AppContext } from '../../context.js';

interface SearchBody {
  items: {
    record: { id: string; caption: string; access: { basis: string; ref: string | null } };
    score: number;
    highlights: { field: string; fragment: string }[];
  }[];
  facets: Record<string, { value: string; count: number }[]>;
  total: number;
  nextCursor: string | null;
}

/** A record as the records writers leave it (the factory sets the search columns as they do). */
async function searchable(ctx: AppContext, owner: string, r: RecordInput): Promise<string> {
  const { id } = await createRecord(ctx, owner, r);
  return id;
}

describe('GET /api/v1/search', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let c: TestUser;
  let orgA: { id: string };
  let agreementId: string;
  const tag = `tg${uniq()}`;
  const ids: Record<string, string> = {};

  async function search(user: TestUser, query: Record<string, string | number | boolean>, app = t) {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    const res = await app.app.inject({ method: 'GET', url: `/api/v1/search?${qs}`, headers: user.auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SearchBody;
  }
  const idsOf = (body: SearchBody) => body.items.map((i) => i.record.id).sort();

  beforeAll(async () => {
    t = await createTestApp();
    orgA = await createOrg(t.ctx);
    const orgB = await createOrg(t.ctx);
    const orgC = await createOrg(t.ctx);
    a = await createUser(t.ctx, orgA, ['analyst']);
    b = await createUser(t.ctx, orgB, ['analyst']);
    c = await createUser(t.ctx, orgC, ['analyst']);
    agreementId = (
      await createAgreement(t.ctx, {
        parties: [orgA.id, orgB.id],
        crimeAreas: ['drug_trafficking', 'money_laundering'],
        sunsetAt: new Date('2026-09-01T00:00:00Z'),
      })
    ).id;
    const person = (name: string, extra: RecordInput = {}): RecordInput => ({
      ...extra,
      properties: { name: [name], notes: [`case file ${tag}`], ...(extra.properties ?? {}) },
    });
    ids.ivanov = await searchable(
      t.ctx,
      orgA.id,
      person('Sergei Ivanov', { properties: { name: ['Sergei Ivanov'], nationality: ['ru'] } }),
    );
    ids.muhammad = await searchable(
      t.ctx,
      orgA.id,
      person('Muhammad Al-Rashid', {
        tlp: 'TLP:GREEN',
        properties: { name: ['Muhammad Al-Rashid'], nationality: ['ae'] },
      }),
    );
    ids.script = await searchable(t.ctx, orgA.id, person('<script>alert(1)</script> Smith'));
    ids.company = await searchable(t.ctx, orgA.id, {
      schema: 'Company',
      dataCategory: 'organizations',
      subjectCategory: null,
      crimeAreas: ['money_laundering'],
      properties: { name: ['Ivanov Trading LLC'], jurisdiction: ['cy'], notes: [`shell ${tag}`] },
    });
    ids.red = await searchable(t.ctx, orgA.id, person('Ruby Redacted', { tlp: 'TLP:RED' }));
    ids.victim = await searchable(t.ctx, orgA.id, person('Vera Victim', { subjectCategory: 'victim' }));
    ids.clear = await searchable(t.ctx, orgA.id, person('Clara Public', { tlp: 'TLP:CLEAR' }));
  });

  it('401 without credentials, then 400 for bad input', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search?q=x' })).statusCode).toBe(401);
    const badTlp = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search?tlp=TLP:PURPLE',
      headers: a.auth,
    });
    expect(badTlp.statusCode).toBe(400);
    const badCursor = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search?cursor=nope',
      headers: a.auth,
    });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().errors[0].field).toBe('cursor');
    const backwards = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search?from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z',
      headers: a.auth,
    });
    expect(backwards.statusCode).toBe(400);
  });

  it('the owner finds all its records; a partner what the agreement allows; a stranger only TLP:CLEAR', async () => {
    const all = Object.values(ids).sort();
    expect(idsOf(await search(a, { q: tag }))).toEqual(all);
    const partner = await search(b, { q: tag });
    expect(idsOf(partner)).toEqual([ids.ivanov, ids.muhammad, ids.script, ids.company, ids.clear].sort());
    const viaAgreement = partner.items.find((i) => i.record.id === ids.ivanov);
    expect(viaAgreement?.record.access).toEqual({ basis: 'agreement', ref: agreementId });
    const stranger = await search(c, { q: tag });
    expect(idsOf(stranger)).toEqual([ids.clear]);
    expect(stranger.total).toBe(1);
  });

  it('returns the same records as the records list for the same reader', async () => {
    for (const user of [a, b, c]) {
      const list = await t.app.inject({
        method: 'GET',
        url: `/api/v1/records?q=${tag}&limit=200`,
        headers: user.auth,
      });
      expect(list.statusCode).toBe(200);
      const listed = (list.json().items as { id: string }[]).map((r) => r.id).sort();
      expect(idsOf(await search(user, { q: tag, limit: 100 }))).toEqual(listed);
    }
  });

  it('audits every returned record as read via search', async () => {
    const body = await search(b, { q: tag });
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select(['object_id', 'basis', 'basis_ref', 'details'])
      .where('actor_user_id', '=', b.id)
      .where('action', '=', 'record.read')
      .where(sql<boolean>`details->>'via' = 'search'`)
      .execute();
    for (const item of body.items) {
      expect(rows.some((r) => r.object_id === item.record.id && r.basis === item.record.access.basis)).toBe(
        true,
      );
    }
    const flows = await t.ctx.db
      .selectFrom('record_flows')
      .select('record_id')
      .where('organization_id', '=', b.organizationId)
      .execute();
    expect(flows.map((f) => f.record_id)).toContain(ids.ivanov);
  });

  it('matches names across scripts and typos, only when fuzzy', async () => {
    const cyrillic = await search(b, { q: 'Иванов', owner: orgA.id });
    expect(idsOf(cyrillic)).toEqual([ids.ivanov, ids.company].sort());
    expect(cyrillic.items[0]?.highlights).toContainEqual({
      field: 'caption',
      fragment: expect.stringContaining('<mark>Ivanov</mark>'),
    });
    expect(idsOf(await search(b, { q: 'Ivnaov', owner: orgA.id }))).toContain(ids.ivanov);
    const mohammed = await search(b, { q: 'Mohammed', owner: orgA.id });
    expect(idsOf(mohammed)).toEqual([ids.muhammad]);
    expect(mohammed.items[0]?.highlights[0]?.fragment).toBe('<mark>Muhammad</mark> Al-Rashid');
    expect(idsOf(await search(b, { q: 'محمد', owner: orgA.id }))).toEqual([ids.muhammad]);
    expect(idsOf(await search(b, { q: 'Mohammed', owner: orgA.id, fuzzy: false }))).toEqual([]);
    // Exact words outrank fuzzy ones.
    const ranked = await search(a, { q: 'Ivanov trading', owner: orgA.id });
    expect(ranked.items[0]?.record.id).toBe(ids.company);
  });

  it('counts facets over the readable matches, each facet ignoring its own filter', async () => {
    const body = await search(b, { q: tag });
    expect(body.total).toBe(5);
    expect(body.facets.schema).toEqual([
      { value: 'Person', count: 4 },
      { value: 'Company', count: 1 },
    ]);
    expect(body.facets.country).toEqual([
      { value: 'ae', count: 1 },
      { value: 'cy', count: 1 },
      { value: 'ru', count: 1 },
    ]);
    expect(body.facets.tlp).toEqual(
      expect.arrayContaining([
        { value: 'TLP:AMBER', count: 3 },
        { value: 'TLP:GREEN', count: 1 },
        { value: 'TLP:CLEAR', count: 1 },
      ]),
    );
    expect(body.facets.owner).toEqual([{ value: orgA.id, count: 5 }]);
    const companies = await search(b, { q: tag, schema: 'Company' });
    expect(idsOf(companies)).toEqual([ids.company]);
    expect(companies.total).toBe(1);
    expect(companies.facets.schema).toEqual(body.facets.schema);
    expect(companies.facets.country).toEqual([{ value: 'cy', count: 1 }]);
    expect(companies.facets.crimeArea).toEqual([{ value: 'money_laundering', count: 1 }]);
    const russians = await search(b, { q: tag, country: 'RU' });
    expect(idsOf(russians)).toEqual([ids.ivanov]);
    const laundering = await search(b, { q: tag, crimeArea: 'money_laundering', tlp: 'TLP:AMBER' });
    expect(idsOf(laundering)).toEqual([ids.company]);
    expect((await search(b, { q: tag, from: '2026-06-02T00:00:00Z' })).total).toBe(0);
  });

  it('walks keyset pages in every order without gaps or repeats', async () => {
    for (const sort of ['relevance', 'updated', 'caption']) {
      const full = await search(a, { q: tag, sort, limit: 100 });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: SearchBody = await search(a, { q: tag, sort, limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((i) => i.record.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(full.items.map((i) => i.record.id));
      expect(pages).toBe(4);
    }
    const captions = (await search(a, { q: tag, sort: 'caption' })).items.map((i) => i.record.caption);
    expect(captions).toEqual([...captions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    const first = await search(a, { q: tag, sort: 'updated', limit: 2 });
    const wrongOrder = await t.app.inject({
      method: 'GET',
      url: `/api/v1/search?q=${tag}&sort=caption&cursor=${first.nextCursor}`,
      headers: a.auth,
    });
    expect(wrongOrder.statusCode).toBe(400);
  });

  it('marks matches and escapes everything else', async () => {
    const body = await search(a, { q: `smith ${tag}`, owner: orgA.id });
    expect(idsOf(body)).toEqual([ids.script]);
    const caption = body.items[0]?.highlights.find((h) => h.field === 'caption');
    expect(caption?.fragment).toBe('&lt;script&gt;alert(1)&lt;/script&gt; <mark>Smith</mark>');
    expect(body.items[0]?.highlights).toContainEqual({
      field: 'properties.notes',
      fragment: `case file <mark>${tag}</mark>`,
    });
  });

  it('after the agreement’s sunset the partner finds nothing of it', async () => {
    const later = await createTestApp(new Date('2026-09-01T00:00:00Z'));
    expect(idsOf(await search(b, { q: tag }, later))).toEqual([ids.clear]);
    expect(idsOf(await search(b, { q: 'Ivanov', owner: orgA.id }, later))).toEqual([]);
  });
});
