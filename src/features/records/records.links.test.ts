import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/context.js';
import { createAgreement, createOrg, createUser, type TestUser } from '../../../test/support/factories.js';

const base = {
  handling: { tlp: 'TLP:AMBER', codes: ['H0'] },
  evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
  crimeAreas: ['drug_trafficking'],
  purposes: ['criminal_investigation'],
};

interface Node {
  id: string | null;
  key?: string;
  schema?: string;
  caption?: string;
  restricted: boolean;
}
interface Edge {
  id: string;
  schema: string;
  source: string;
  target: string;
  label: string;
  tlp: string;
}

describe('record links', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let c: TestUser;
  let person: string;
  let company: string;
  let redCompany: string;
  let ownership: string;
  let hiddenOwnership: string;
  let redLink: string;

  async function create(user: TestUser, payload: Record<string, unknown>) {
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: user.auth,
      payload: { ...base, ...payload },
    });
  }
  async function created(user: TestUser, payload: Record<string, unknown>): Promise<string> {
    const res = await create(user, payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }
  const links = (id: string, user: TestUser) =>
    t.app.inject({ method: 'GET', url: `/api/v1/records/${id}/links`, headers: user.auth });

  beforeAll(async () => {
    t = await createTestApp();
    const orgA = await createOrg(t.ctx);
    const orgB = await createOrg(t.ctx);
    const orgC = await createOrg(t.ctx);
    a = await createUser(t.ctx, orgA, ['analyst']);
    b = await createUser(t.ctx, orgB, ['analyst']);
    c = await createUser(t.ctx, orgC, ['analyst']);
    await createAgreement(t.ctx, { parties: [orgA.id, orgB.id] });
    person = await created(a, {
      schema: 'Person',
      properties: { name: ['Marta Links'] },
      subjectCategory: 'suspect',
    });
    company = await created(a, { schema: 'Company', properties: { name: ['Links Holding Ltd'] } });
    redCompany = await created(a, {
      schema: 'Company',
      properties: { name: ['Secret Shell SA'] },
      handling: { tlp: 'TLP:RED', codes: ['H0'] },
    });
    ownership = await created(a, {
      schema: 'Ownership',
      properties: { owner: [person], asset: [company], percentage: ['60'] },
    });
    hiddenOwnership = await created(a, {
      schema: 'Ownership',
      properties: { owner: [person.toUpperCase()], asset: [redCompany] },
    });
    redLink = await created(a, {
      schema: 'Ownership',
      properties: { owner: [person], asset: [company] },
      handling: { tlp: 'TLP:RED', codes: ['H0'] },
    });
  });

  it('references must name records the creator may read: same 400 for missing and unreadable', async () => {
    const strangers = await created(c, { schema: 'Company', properties: { name: ['Elsewhere GmbH'] } });
    for (const ref of [randomUUID(), strangers]) {
      const res = await create(a, { schema: 'Ownership', properties: { owner: [person], asset: [ref] } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        {
          field: 'properties.asset.0',
          rule: 'ftm_entity_unknown',
          message: 'no record with this id that you may read',
        },
      ]);
    }
    // Passport.holder is an entity property too; update checks new references only.
    const passport = await created(a, {
      schema: 'Passport',
      properties: { holder: [person], number: ['X123'] },
    });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/records/${passport}`,
      headers: a.auth,
      payload: { properties: { holder: [person, strangers], number: ['X123'] } },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().errors[0]).toMatchObject({
      field: 'properties.holder.1',
      rule: 'ftm_entity_unknown',
    });
  });

  it('the owner sees every link and end', async () => {
    const res = await links(person, a);
    expect(res.statusCode).toBe(200);
    const { nodes, edges } = res.json() as { nodes: Node[]; edges: Edge[] };
    expect(nodes.every((n) => !n.restricted)).toBe(true);
    expect(nodes.map((n) => n.id).sort()).toEqual([person, company, redCompany].sort());
    expect(edges.map((e) => e.id).sort()).toEqual([ownership, hiddenOwnership, redLink].sort());
    const own = edges.find((e) => e.id === ownership);
    expect(own).toEqual({
      id: ownership,
      schema: 'Ownership',
      source: person,
      target: company,
      label: 'owns',
      tlp: 'TLP:AMBER',
    });
  });

  it('a partner: the unreadable end is a placeholder, the unreadable link is left out; reads audited', async () => {
    const res = await links(person, b);
    expect(res.statusCode).toBe(200);
    const { nodes, edges } = res.json() as { nodes: Node[]; edges: Edge[] };
    expect(edges.map((e) => e.id).sort()).toEqual([ownership, hiddenOwnership].sort());
    const placeholder = nodes.find((n) => n.restricted);
    expect(placeholder).toEqual({ id: null, key: expect.any(String), restricted: true });
    expect(edges.find((e) => e.id === hiddenOwnership)?.target).toBe(placeholder?.key);
    expect(
      nodes
        .filter((n) => !n.restricted)
        .map((n) => n.id)
        .sort(),
    ).toEqual([person, company].sort());
    expect(res.body).not.toContain(redCompany);
    expect(res.body).not.toContain(redLink);
    expect(res.body).not.toContain('Secret Shell');

    const audited = await t.ctx.db
      .selectFrom('audit_log')
      .select(['object_id', 'basis'])
      .where('actor_org_id', '=', b.organizationId)
      .where('action', '=', 'record.read')
      .execute();
    expect(audited.map((x) => x.object_id).sort()).toEqual(
      [person, company, ownership, hiddenOwnership].sort(),
    );
    expect(audited.every((x) => x.basis === 'agreement')).toBe(true);

    // The key is opaque: another response gives another key for the same hidden record.
    const again = (await links(person, b)).json() as { nodes: Node[] };
    expect(again.nodes.find((n) => n.restricted)?.key).not.toBe(placeholder?.key);
  });

  it('a link in focus: its ends are the nodes', async () => {
    const res = await links(hiddenOwnership, b);
    expect(res.statusCode).toBe(200);
    const { nodes, edges } = res.json() as { nodes: Node[]; edges: Edge[] };
    expect(edges).toHaveLength(1);
    expect(edges[0]?.source).toBe(person);
    expect(nodes).toHaveLength(2);
    expect(nodes.find((n) => n.restricted)?.key).toBe(edges[0]?.target);
  });

  it('401, 404 for a stranger and for an unreadable link', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/records/${person}/links` })).statusCode).toBe(
      401,
    );
    expect((await links(person, c)).statusCode).toBe(404);
    expect((await links(redLink, b)).statusCode).toBe(404);
  });
});
