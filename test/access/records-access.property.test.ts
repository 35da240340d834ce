/**
 * Access property test: random organizations, memberships, agreements in every lifecycle state,
 * records with every label, code, category and state, and random clock positions. For every reader
 * and record it checks through the HTTP API that GET /records/{id} (the policy engine's `decide`
 * face) and GET /records (its SQL `scope` face) agree with each other and with an oracle written
 * here, independently, from DOMAIN.md — so no reader ever receives a record the rules deny, and
 * every record the rules allow is reachable.
 *
 * ENTENTE_ACCESS_WORLDS sets the number of worlds (default 1000; CI runs the default).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchColumnsFor } from '../../src/features/records/records.search-columns.js';
import { hashSecret, newSecret } from '../../src/platform/auth/secrets.js';
import { createTestApp, type TestApp } from '../support/context.js';

const WORLDS = Number(process.env.ENTENTE_ACCESS_WORLDS ?? 1000);
const DAY = 86_400_000;
const BASE = Date.parse('2027-03-01T00:00:00Z');

// Small vocabularies on purpose: overlaps (and so every branch of the rules) happen often.
const TLPS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'] as const;
const CEILINGS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT'] as const;
const STATUSES = ['draft', 'pilot', 'active', 'under_review', 'suspended', 'terminated', 'expired'] as const;
const CRIME = ['drug_trafficking', 'fraud', 'money_laundering'] as const;
const PURPOSES = ['criminal_investigation', 'strategic_analysis', 'asset_recovery'] as const;
const SCHEMATA = [
  ['Person', 'persons'],
  ['Company', 'organizations'],
  ['Vessel', 'vehicles_vessels'],
  ['BankAccount', 'financial'],
] as const;
const DATA_CATEGORIES = ['persons', 'organizations', 'vehicles_vessels', 'financial'] as const;
const SUBJECTS = [
  'suspect',
  'convicted',
  'victim',
  'witness',
  'contact_associate',
  'missing_person',
  'informant',
] as const;

interface WAgreement {
  ref: string;
  status: (typeof STATUSES)[number];
  validFromDays: number;
  sunsetDays: number;
  pilotEndDays: number | null;
  parties: { org: number; signedDays: number | null }[];
  crime: string[];
  dataCategories: string[];
  purposes: string[];
  ceiling: string;
  h2Allowed: boolean;
}
interface WRecord {
  owner: number;
  tlp: string;
  codes: string[];
  crime: string[];
  purposes: string[];
  schema: number;
  subject: string | null;
  status: 'active' | 'retracted' | 'expired';
  expiresDays: number;
  recipients: number[];
}
interface World {
  orgCount: number;
  memberships: [number, number][];
  agreements: WAgreement[];
  records: WRecord[];
  roles: ('analyst' | 'viewer' | 'auditor' | 'investigator')[];
  nowDays: number;
}

const subset = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
/** Mostly the broad value (so flows happen often), sometimes a narrower random one. */
const mostly = <T>(broad: T, other: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(broad) }, { weight: 2, arbitrary: other });

const worldArb: fc.Arbitrary<World> = fc.integer({ min: 2, max: 4 }).chain((orgCount) => {
  const org = fc.integer({ min: 0, max: orgCount - 1 });
  const agreement = fc.record({
    ref: fc.string({ minLength: 4, maxLength: 4, unit: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
    status: fc.oneof(
      { weight: 6, arbitrary: fc.constant('active' as const) },
      { weight: 2, arbitrary: fc.constant('pilot' as const) },
      { weight: 3, arbitrary: fc.constantFrom(...STATUSES) },
    ),
    validFromDays: mostly(-60, fc.integer({ min: -60, max: 10 })),
    sunsetDays: mostly(90, fc.integer({ min: -10, max: 60 })),
    pilotEndDays: fc.option(fc.integer({ min: -20, max: 40 }), { nil: null }),
    parties: fc.oneof(
      {
        weight: 2,
        arbitrary: fc
          .array(mostly<number | null>(-30, fc.option(fc.integer({ min: -30, max: 3 }), { nil: null })), {
            minLength: orgCount,
            maxLength: orgCount,
          })
          .map((signed) => signed.map((signedDays, o) => ({ org: o, signedDays }))),
      },
      {
        weight: 1,
        arbitrary: fc.uniqueArray(
          fc.record({ org, signedDays: fc.option(fc.integer({ min: -30, max: 3 }), { nil: null, freq: 8 }) }),
          { minLength: 2, maxLength: orgCount, selector: (p) => p.org },
        ),
      },
    ),
    crime: mostly([...CRIME], subset(CRIME)),
    dataCategories: mostly([...DATA_CATEGORIES], subset(DATA_CATEGORIES)),
    purposes: mostly([...PURPOSES], subset(PURPOSES)),
    ceiling: fc.oneof(
      { weight: 3, arbitrary: fc.constant('TLP:AMBER+STRICT') },
      { weight: 2, arbitrary: fc.constantFrom(...CEILINGS) },
    ),
    h2Allowed: mostly(true, fc.boolean()),
  });
  const record = fc.record({
    owner: org,
    tlp: fc.constantFrom(...TLPS),
    codes: fc.subarray(['H0', 'H1', 'H2']),
    crime: subset(CRIME),
    purposes: subset(PURPOSES),
    schema: fc.integer({ min: 0, max: SCHEMATA.length - 1 }),
    subject: fc.constantFrom(...SUBJECTS),
    status: mostly<WRecord['status']>('active', fc.constantFrom('active', 'retracted', 'expired')),
    expiresDays: mostly(60, fc.integer({ min: -5, max: 40 })),
    recipients: fc.oneof(
      { weight: 4, arbitrary: fc.constant<number[]>([]) },
      { weight: 1, arbitrary: fc.uniqueArray(org, { maxLength: 2 }) },
    ),
  });
  return fc.record({
    orgCount: fc.constant(orgCount),
    memberships: fc
      .uniqueArray(fc.tuple(org, org), { maxLength: 2, selector: ([m, b]) => `${m}-${b}` })
      .map((ms) => ms.filter(([m, b]) => m !== b)),
    agreements: fc.array(agreement, { minLength: 1, maxLength: 3 }),
    records: fc.array(record, { minLength: 1, maxLength: 6 }),
    roles: fc.array(fc.constantFrom('analyst', 'analyst', 'viewer', 'investigator', 'auditor'), {
      minLength: orgCount,
      maxLength: orgCount,
    }) as fc.Arbitrary<World['roles']>,
    nowDays: fc.integer({ min: 0, max: 30 }),
  });
});

const at = (days: number) => new Date(BASE + days * DAY);
const rank = (tlp: string) => TLPS.indexOf(tlp as (typeof TLPS)[number]);

/** The oracle, written from DOMAIN.md without reference to the implementation. */
function oracle(
  w: World,
  reader: number,
  r: WRecord,
  agreementIds: string[],
): { basis: string; ref: string | null } | null {
  const now = w.nowDays;
  if (w.roles[reader] === 'auditor') return null; // auditors read the audit log, not the data
  if (r.owner === reader) return { basis: 'owner', ref: null };
  if (r.status !== 'active' || r.expiresDays <= now) return null; // expired or retracted: owner only
  if (r.recipients.includes(reader)) return { basis: 'named_recipient', ref: null };
  if (r.tlp === 'TLP:RED') return null; // named recipients only
  if (
    r.subject !== null &&
    ['victim', 'witness', 'informant'].includes(r.subject) &&
    SCHEMATA[r.schema]?.[0] === 'Person'
  ) {
    return null; // never under a general agreement
  }
  if (r.tlp === 'TLP:CLEAR') return { basis: 'tlp_clear', ref: null };
  const dataCategory = SCHEMATA[r.schema]?.[1] ?? '';
  const bodies = w.memberships.filter(([m]) => m === reader).map(([, b]) => b);
  const covering = w.agreements
    .map((a, i) => ({ a, id: agreementIds[i] ?? '' }))
    .filter(({ a }) => {
      const flows =
        (a.status === 'pilot' || a.status === 'active') &&
        a.validFromDays <= now &&
        now < a.sunsetDays &&
        !(a.status === 'pilot' && a.pilotEndDays !== null && now >= a.pilotEndDays);
      if (!flows) return false;
      const signed = (org: number) =>
        a.parties.some((p) => p.org === org && p.signedDays !== null && p.signedDays <= now);
      if (!signed(r.owner)) return false;
      const community = signed(reader) || (r.tlp !== 'TLP:AMBER+STRICT' && bodies.some(signed));
      if (!community) return false;
      return (
        a.dataCategories.includes(dataCategory) &&
        r.crime.some((c) => a.crime.includes(c)) &&
        r.purposes.some((p) => a.purposes.includes(p)) &&
        rank(r.tlp) <= rank(a.ceiling) &&
        (!r.codes.includes('H2') || a.h2Allowed)
      );
    })
    .sort((x, y) => (x.a.ref < y.a.ref ? -1 : x.a.ref > y.a.ref ? 1 : 0));
  const first = covering[0];
  return first ? { basis: 'agreement', ref: first.id } : null;
}

describe('access properties: decide, scope and the oracle agree through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(at(0));
  });

  it(`holds for ${WORLDS} random worlds`, async () => {
    let checkedReads = 0;
    let allowed = 0;
    const bases = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const db = t.ctx.db;
        const tag = `w${randomUUID().replaceAll('-', '').slice(0, 12)}`;
        const created = at(-90);
        const orgIds = Array.from({ length: w.orgCount }, () => randomUUID());
        await db
          .insertInto('organizations')
          .values(
            orgIds.map((id, i) => ({
              id,
              slug: `${tag}-${i}`,
              name: `${tag} org ${i}`,
              short_name: null,
              kind: 'national',
              region: 'africa',
              countries: ['KE'],
              agency_type: 'police',
              crime_areas: [],
              created_at: created,
              updated_at: created,
            })),
          )
          .execute();
        if (w.memberships.length > 0) {
          await db
            .insertInto('organization_memberships')
            .values(
              w.memberships.map(([m, b]) => ({
                member_id: orgIds[m] as string,
                body_id: orgIds[b] as string,
                since: created,
              })),
            )
            .execute();
        }
        const tokens: string[] = [];
        for (let i = 0; i < w.orgCount; i++) {
          const userId = randomUUID();
          await db
            .insertInto('users')
            .values({
              id: userId,
              organization_id: orgIds[i] as string,
              email: `${tag}-${i}@test.entente.example`,
              display_name: 'reader',
              password_hash: 'x',
              roles: [w.roles[i] ?? 'analyst'],
              mfa_secret: null,
              locked_until: null,
              disabled_at: null,
              last_login_at: null,
              created_at: created,
              updated_at: created,
            })
            .execute();
          const token = newSecret('ent_');
          tokens.push(token);
          await db
            .insertInto('api_tokens')
            .values({
              id: randomUUID(),
              user_id: userId,
              name: 'prop',
              token_prefix: token.slice(0, 8),
              token_hash: hashSecret(token),
              scopes: ['records:read'],
              expires_at: at(365),
              created_at: created,
              last_used_at: null,
              revoked_at: null,
            })
            .execute();
        }
        const agreementIds = w.agreements.map(() => randomUUID());
        for (const [i, a] of w.agreements.entries()) {
          const id = agreementIds[i] as string;
          await db
            .insertInto('agreements')
            .values({
              id,
              reference: `${a.ref}-${tag}-${i}`,
              title: 't',
              kind: 'mou',
              status: a.status,
              crime_areas: a.crime,
              data_categories: a.dataCategories,
              purposes: a.purposes,
              ceiling_tlp: a.ceiling,
              ceiling_h2_allowed: a.h2Allowed,
              max_retention_days: null,
              valid_from: at(a.validFromDays),
              sunset_at: at(a.sunsetDays),
              pilot_ends_at: a.pilotEndDays === null ? null : at(a.pilotEndDays),
              pilot_success_criteria: null,
              review_triggers: '[]',
              last_reviewed_at: null,
              created_by_org_id: orgIds[a.parties[0]?.org ?? 0] as string,
              created_at: created,
              updated_at: created,
            })
            .execute();
          await db
            .insertInto('agreement_parties')
            .values(
              a.parties.map((p) => ({
                agreement_id: id,
                organization_id: orgIds[p.org] as string,
                signed_at: p.signedDays === null ? null : at(p.signedDays),
                signed_by: null,
              })),
            )
            .execute();
        }
        // The oracle sorts by reference; make the world's references sort as the generated ones do.
        const recordIds = w.records.map(() => randomUUID());
        await db
          .insertInto('records')
          .values(
            w.records.map((r, i) => {
              const [schema, category] = SCHEMATA[r.schema] ?? SCHEMATA[0];
              const isPerson = schema === 'Person';
              return {
                id: recordIds[i] as string,
                owner_org_id: orgIds[r.owner] as string,
                schema,
                ...searchColumnsFor(schema, { name: [`${tag} ${i}`] }, `${tag} ${i}`),
                properties: JSON.stringify({ name: [`${tag} ${i}`] }),
                tlp: r.tlp,
                handling_codes: r.codes,
                handling_h3_text: null,
                evaluation_scheme: 'eu4x4',
                evaluation_source: 'B',
                evaluation_information: '2',
                crime_areas: r.crime,
                purposes: r.purposes,
                data_category: category,
                subject_category: isPerson ? r.subject : null,
                status: r.status,
                retracted_reason: null,
                review_at: at(r.expiresDays - 1),
                expires_at: at(r.expiresDays),
                external_id: null,
                created_by: null,
                created_at: created,
                updated_at: created,
              };
            }),
          )
          .execute();
        const recipientRows = w.records.flatMap((r, i) =>
          r.recipients.map((o) => ({
            record_id: recordIds[i] as string,
            organization_id: orgIds[o] as string,
            added_at: created,
            added_by: null,
          })),
        );
        if (recipientRows.length > 0)
          await db.insertInto('record_recipients').values(recipientRows).execute();
        // Non-person records carry no subject category in the database; the oracle sees the same.
        const worldSeen: World = {
          ...w,
          records: w.records.map((r) => ({
            ...r,
            subject: SCHEMATA[r.schema]?.[0] === 'Person' ? r.subject : null,
          })),
        };

        t.clock.set(at(w.nowDays));
        for (let reader = 0; reader < w.orgCount; reader++) {
          const auth = { authorization: `Bearer ${tokens[reader]}` };
          const list = await t.app.inject({
            method: 'GET',
            url: `/api/v1/records?q=${tag}&limit=200`,
            headers: auth,
          });
          expect(list.statusCode).toBe(200);
          const listed = new Map<string, { basis: string; ref: string | null }>(
            list
              .json()
              .items.map((it: { id: string; access: { basis: string; ref: string | null } }) => [
                it.id,
                it.access,
              ]),
          );
          for (const [i, r] of worldSeen.records.entries()) {
            const id = recordIds[i] as string;
            const expected = oracle(worldSeen, reader, r, agreementIds);
            const got = await t.app.inject({ method: 'GET', url: `/api/v1/records/${id}`, headers: auth });
            checkedReads++;
            const context = { reader, record: i, world: w };
            if (expected) {
              allowed++;
              bases.set(expected.basis, (bases.get(expected.basis) ?? 0) + 1);
              expect(got.statusCode, JSON.stringify(context)).toBe(200);
              expect(got.json().access, JSON.stringify(context)).toEqual(expected);
              expect(listed.get(id), JSON.stringify(context)).toEqual(expected);
            } else {
              // A retracted record answers its former readers (those the rules admit with the record
              // as active, at now) with a 410 tombstone without content; everyone else gets 404.
              const formerReader =
                r.status === 'retracted' &&
                oracle(worldSeen, reader, { ...r, status: 'active' }, agreementIds) !== null;
              expect(got.statusCode, JSON.stringify(context)).toBe(formerReader ? 410 : 404);
              if (formerReader) expect(Object.keys(got.json())).not.toContain('properties');
              expect(listed.has(id), JSON.stringify(context)).toBe(false);
            }
          }
          expect(listed.size).toBe(
            worldSeen.records.filter((r) => oracle(worldSeen, reader, r, agreementIds)).length,
          );
        }
      }),
      { numRuns: WORLDS, endOnFailure: true },
    );
    // The generator must exercise both outcomes, or the test proves nothing.
    expect(allowed).toBeGreaterThan(checkedReads / 10);
    expect(allowed).toBeLessThan(checkedReads);
    expect(bases.get('agreement') ?? 0).toBeGreaterThan(checkedReads / 100);
    for (const basis of ['owner', 'agreement', 'named_recipient', 'tlp_clear'])
      expect(bases.get(basis) ?? 0).toBeGreaterThan(0);
    console.log(
      `access property: ${WORLDS} worlds, ${checkedReads} reads checked, ${allowed} allowed (${[...bases].map(([b, n]) => `${b} ${n}`).join(', ')})`,
    );
  }, 1_800_000);
});
