import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { AppContext } from '../../context.js';
import {
  AGREEMENT_KINDS,
  RESTRICTED_SUBJECT_CATEGORIES,
  ROLES,
  type SubjectCategory,
  TLP_LABELS,
  type TlpLabel,
  tlpRank,
} from '../../domain/vocabulary.js';
import { agreementInForce } from '../../platform/access/agreement-in-force.js';
import { verifyAuditChain } from '../../platform/audit/audit.js';
import { verifyPassword } from '../../platform/auth/secrets.js';
import { addDays, addMonths, ManualClock } from '../../platform/clock.js';
import { type DatabaseHandle, openDatabase } from '../../platform/db/db.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import type { FtmProperties, ReviewTrigger } from '../../platform/db/schema.js';
import { MemoryEventBus } from '../../platform/events/bus.js';
import { captionFor, dataCategoryFor, validateProperties } from '../records/records.model.js';
import { ibanIsValid, imoIsValid, mulberry32 } from './demo.random.js';
import { buildDemoRecords } from './demo.records.js';
import { demoLogins, loadDemoScenario } from './demo.scenario.js';
import { DEMO_PASSWORD } from './demo.users.js';

// A date far from the day the demo was written: everything must be relative to the clock.
const NOW = new Date('2031-03-15T09:00:00Z');

interface Target {
  name: string;
  open(): Promise<{ handle: DatabaseHandle; dispose(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'private in-memory PGlite',
    open: async () => {
      const handle = await openDatabase({ dataDir: 'memory://' });
      return { handle, dispose: () => handle.close() };
    },
  },
];
// On PostgreSQL the shared test database holds other tests' organizations, so the demo (which only
// loads into an empty database) gets a scratch database of its own on the same server.
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  targets.push({
    name: 'scratch PostgreSQL database',
    open: async () => {
      const dbName = `entente_demo_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      const url = new URL(databaseUrl);
      url.pathname = `/${dbName}`;
      const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://' });
      return {
        handle,
        dispose: async () => {
          await handle.close();
          await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
          await admin.end();
        },
      };
    },
  });
}

describe.each(targets)('demo scenario on $name', (target) => {
  let ctx: AppContext;
  let dispose: () => Promise<void>;
  let result: { loaded: boolean; summary: string };
  let loadMs = 0;

  beforeAll(async () => {
    const opened = await target.open();
    dispose = opened.dispose;
    await migrateToLatest(opened.handle.db);
    ctx = {
      config: loadConfig({ NODE_ENV: 'test' }),
      db: opened.handle.db,
      dbKind: opened.handle.kind,
      clock: new ManualClock(NOW),
      bus: new MemoryEventBus(),
    };
    const t0 = performance.now();
    result = await loadDemoScenario(ctx);
    loadMs = performance.now() - t0;
  });

  afterAll(async () => {
    await ctx?.bus.close();
    await dispose?.();
  });

  const orgIdBySlug = async (slug: string): Promise<string> =>
    (await ctx.db.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow())
      .id;

  it('loads once, quickly, and describes the sharing to try', async () => {
    expect(result.loaded).toBe(true);
    expect(result.summary).toMatch(/\d+ records/);
    expect(result.summary).toContain('AGR-DSP-2025-014');
    // Generous bound for a busy 2-core machine; typically well under a second.
    expect(loadMs).toBeLessThan(4000);
    console.info(`demo load on ${target.name}: ${loadMs.toFixed(0)} ms`);
  });

  it('has the organizations of the story, with memberships', async () => {
    const orgs = await ctx.db.selectFrom('organizations').selectAll().execute();
    const ofKind = (k: string) => orgs.filter((o) => o.kind === k);
    expect(ofKind('international')).toHaveLength(1);
    expect(
      ofKind('regional')
        .map((o) => o.region)
        .sort(),
    ).toEqual(['africa', 'americas', 'south_east_asia']);
    const national = ofKind('national');
    expect(national.length).toBeGreaterThanOrEqual(6);
    expect(new Set(national.flatMap((o) => o.countries)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(national.map((o) => o.agency_type))).toEqual(new Set(['police', 'customs', 'fiu']));
    expect(ofKind('civil_society').map((o) => o.agency_type)).toEqual(['ngo']);
    expect(ofKind('private_sector')).toHaveLength(1);
    for (const o of orgs) expect(o.countries.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);

    const memberships = await ctx.db.selectFrom('organization_memberships').selectAll().execute();
    const kindOf = new Map(orgs.map((o) => [o.id, o] as const));
    for (const n of national) {
      const bodies = memberships.filter((m) => m.member_id === n.id).map((m) => kindOf.get(m.body_id));
      expect(bodies.map((b) => b?.kind)).toEqual(['regional']);
      expect(bodies[0]?.region).toBe(n.region);
    }
    for (const r of ofKind('regional')) {
      const bodies = memberships.filter((m) => m.member_id === r.id).map((m) => kindOf.get(m.body_id)?.kind);
      expect(bodies).toEqual(['international']);
    }
  });

  it('has agreements of every kind and every special status, with history', async () => {
    const agreements = await ctx.db.selectFrom('agreements').selectAll().execute();
    const parties = await ctx.db.selectFrom('agreement_parties').selectAll().execute();
    const events = await ctx.db.selectFrom('agreement_events').selectAll().execute();
    expect(new Set(agreements.map((a) => a.kind))).toEqual(new Set(AGREEMENT_KINDS));
    const withStatus = (s: string) => agreements.filter((a) => a.status === s);

    const pilot = withStatus('pilot');
    expect(pilot).toHaveLength(1);
    expect(pilot[0]?.pilot_ends_at?.getTime()).toBeGreaterThan(NOW.getTime());
    expect(pilot[0]?.pilot_success_criteria).toBeTruthy();

    const expired = withStatus('expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]?.sunset_at.getTime()).toBeLessThan(NOW.getTime());

    const nearSunset = withStatus('active').filter((a) => a.sunset_at < addDays(NOW, 60));
    expect(nearSunset).toHaveLength(1);
    expect(nearSunset[0]?.sunset_at.getTime()).toBeGreaterThan(NOW.getTime());

    expect(withStatus('under_review')).toHaveLength(1);

    const draft = withStatus('draft');
    expect(draft).toHaveLength(1);
    const draftParties = parties.filter((p) => p.agreement_id === draft[0]?.id);
    expect(draftParties.some((p) => p.signed_at === null)).toBe(true);
    expect(draftParties.some((p) => p.signed_at !== null)).toBe(true);

    const suspended = withStatus('suspended');
    expect(suspended).toHaveLength(1);
    const incidents = await ctx.db
      .selectFrom('agreement_incidents')
      .selectAll()
      .where('agreement_id', '=', suspended[0]?.id ?? '')
      .execute();
    expect(incidents).toHaveLength(1);

    for (const a of agreements) {
      const own = events.filter((e) => e.agreement_id === a.id);
      expect(own.map((e) => e.action)).toContain('created');
      const signed = parties.filter((p) => p.agreement_id === a.id && p.signed_at !== null);
      expect(own.filter((e) => e.action === 'signed')).toHaveLength(signed.length);
      expect(signed.every((p) => p.signed_by !== null)).toBe(true);
      // The last status change in the history ends in the agreement's current status.
      const changes = own.filter((e) => e.action === 'status_changed').sort((x, y) => +x.at - +y.at);
      expect(changes.at(-1)?.to_status ?? 'draft').toBe(a.status);
      expect(a.crime_areas.length).toBeGreaterThan(0);
      expect(a.data_categories.length).toBeGreaterThan(0);
      expect(a.purposes.length).toBeGreaterThan(0);
      expect(TLP_LABELS).toContain(a.ceiling_tlp);
    }
  });

  it('gives the review-trigger job nothing to change at start', async () => {
    const agreements = await ctx.db.selectFrom('agreements').selectAll().execute();
    for (const a of agreements.filter((x) => x.status === 'active' || x.status === 'pilot')) {
      expect(agreementInForce(a, NOW)).toBe(true);
      const triggers = (typeof a.review_triggers === 'string'
        ? JSON.parse(a.review_triggers)
        : a.review_triggers) as unknown as ReviewTrigger[];
      for (const t of triggers) {
        switch (t.kind) {
          case 'periodic':
            expect(addMonths(a.last_reviewed_at ?? a.valid_from, t.months).getTime()).toBeGreaterThan(
              NOW.getTime(),
            );
            break;
          case 'volume':
            expect(a.exchanged_since_review).toBeLessThan(t.records);
            break;
          case 'sunset':
            expect(addDays(a.sunset_at, -t.days).getTime()).toBeGreaterThan(NOW.getTime());
            break;
          case 'incident':
            break;
          default: {
            const unreachable: never = t;
            throw new Error(`unknown trigger ${JSON.stringify(unreachable)}`);
          }
        }
      }
    }
  });

  it('holds at least 300 valid FollowTheMoney records with varied handling', async () => {
    const records = await ctx.db.selectFrom('records').selectAll().execute();
    expect(records.length).toBeGreaterThanOrEqual(300);
    const schemata = new Set(records.map((r) => r.schema));
    for (const s of [
      'Person',
      'Company',
      'Vessel',
      'BankAccount',
      'CryptoWallet',
      'UserAccount',
      'Passport',
      'Address',
    ])
      expect(schemata).toContain(s);
    for (const r of records) {
      const props = (
        typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties
      ) as FtmProperties;
      expect(validateProperties(r.schema, props), `${r.external_id} ${r.caption}`).toEqual([]);
      expect(r.caption).toBe(captionFor(r.schema, props));
      expect(r.data_category).toBe(dataCategoryFor(r.schema));
      expect(r.search_text.length).toBeGreaterThan(0);
      expect(r.expires_at > r.review_at && r.review_at > r.created_at).toBe(true);
      expect(r.created_at <= NOW).toBe(true);
      if (r.handling_codes.includes('H3')) expect(r.handling_h3_text).toBeTruthy();
      if (r.schema === 'Person') expect(r.subject_category).not.toBeNull();
      for (const iban of props.iban ?? []) expect(ibanIsValid(iban), iban).toBe(true);
      for (const imo of props.imoNumber ?? []) expect(imoIsValid(imo), imo).toBe(true);
      for (const c of [...(props.nationality ?? []), ...(props.country ?? []), ...(props.jurisdiction ?? [])])
        expect(c).toMatch(/^[a-z]{2}$/);
    }
    const byTlp = (t: TlpLabel) => records.filter((r) => r.tlp === t).length;
    expect(byTlp('TLP:AMBER') + byTlp('TLP:GREEN')).toBeGreaterThan(records.length * 0.7);
    expect(byTlp('TLP:AMBER+STRICT')).toBeGreaterThan(5);
    expect(byTlp('TLP:RED')).toBeGreaterThanOrEqual(3);
    expect(byTlp('TLP:CLEAR')).toBeGreaterThanOrEqual(2);
    expect(byTlp('TLP:CLEAR')).toBeLessThan(records.length * 0.05);
    expect(new Set(records.map((r) => r.evaluation_scheme))).toEqual(new Set(['eu4x4', 'nato6x6']));
    expect(new Set(records.flatMap((r) => r.handling_codes))).toEqual(new Set(['H0', 'H1', 'H2', 'H3']));
    const retracted = records.filter((r) => r.status === 'retracted');
    expect(retracted.length).toBeGreaterThanOrEqual(1);
    expect(retracted.every((r) => r.retracted_reason)).toBe(true);

    const text = records.map((r) => r.caption).join(' ');
    for (const script of [
      /\p{Script=Cyrillic}/u,
      /\p{Script=Greek}/u,
      /\p{Script=Arabic}/u,
      /\p{Script=Thai}/u,
      /\p{Script=Han}/u,
    ])
      expect(text).toMatch(script);
    expect(text).toMatch(/[áéíóúñ]/);
  });

  it('routes restricted data only to named recipients', async () => {
    const records = await ctx.db.selectFrom('records').selectAll().execute();
    const recipients = await ctx.db.selectFrom('record_recipients').selectAll().execute();
    const named = new Set(recipients.map((r) => r.record_id));
    const restricted = records.filter(
      (r) =>
        r.tlp === 'TLP:RED' || RESTRICTED_SUBJECT_CATEGORIES.includes(r.subject_category as SubjectCategory),
    );
    expect(restricted.filter((r) => r.subject_category === 'victim').length).toBeGreaterThanOrEqual(4);
    for (const r of restricted) expect(named.has(r.id), r.caption).toBe(true);
    const ngo = await orgIdBySlug('safe-harbour-network');
    expect(records.some((r) => r.owner_org_id === ngo && r.subject_category === 'victim')).toBe(true);
    expect(
      recipients.every((x) => records.find((r) => r.id === x.record_id)?.owner_org_id !== x.organization_id),
    ).toBe(true);
  });

  it('plants the same identifiers at several agencies, spelled differently', async () => {
    const records = await ctx.db.selectFrom('records').select(['owner_org_id', 'properties']).execute();
    const owners = (prop: string, norm: (v: string) => string) => {
      const map = new Map<string, Set<string>>();
      for (const r of records) {
        const props = (
          typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties
        ) as FtmProperties;
        for (const v of props[prop] ?? []) {
          const key = norm(v);
          map.set(key, (map.get(key) ?? new Set()).add(r.owner_org_id));
        }
      }
      return [...map.values()].filter((s) => s.size >= 2).length;
    };
    expect(owners('iban', (v) => v.replace(/\s/g, '').toUpperCase())).toBeGreaterThanOrEqual(3);
    expect(owners('publicKey', (v) => v.toLowerCase())).toBeGreaterThanOrEqual(3);
    expect(owners('imoNumber', (v) => v.replace(/\D/g, ''))).toBeGreaterThanOrEqual(3);
    expect(owners('phone', (v) => v.replace(/\D/g, ''))).toBeGreaterThanOrEqual(8);
    expect(owners('registrationNumber', (v) => v.replace(/[^A-Z0-9]/gi, ''))).toBeGreaterThanOrEqual(3);
  });

  it('creates users of every role with one shared password hash', async () => {
    const users = await ctx.db.selectFrom('users').selectAll().execute();
    expect(new Set(users.flatMap((u) => u.roles))).toEqual(new Set(ROLES));
    expect(new Set(users.map((u) => u.password_hash)).size).toBe(1);
    expect(await verifyPassword(users[0]?.password_hash ?? '', DEMO_PASSWORD)).toBe(true);
    expect(users.every((u) => u.email.endsWith('.demo.entente.example'))).toBe(true);
    const admin = users.find((u) => u.roles.includes('platform_admin'));
    expect(admin?.organization_id).toBe(await orgIdBySlug('meridian'));

    const logins = demoLogins();
    expect(logins.password).toBe(DEMO_PASSWORD);
    expect(logins.password.length).toBeGreaterThanOrEqual(12);
    expect(logins.users.length).toBeGreaterThanOrEqual(8);
    expect(logins.users.length).toBeLessThanOrEqual(10);
    const orgs = await ctx.db.selectFrom('organizations').select(['id', 'name']).execute();
    for (const l of logins.users) {
      const u = users.find((x) => x.email === l.email);
      expect(u, l.email).toBeDefined();
      expect(u?.roles).toEqual(l.roles);
      expect(orgs.find((o) => o.id === u?.organization_id)?.name).toBe(l.organization);
    }
    const printedRoles = new Set(logins.users.flatMap((u) => u.roles));
    for (const r of ['platform_admin', 'org_admin', 'analyst', 'auditor']) expect(printedRoles).toContain(r);
  });

  it('lets the documented analysts share, and keeps the third one out', async () => {
    const kestrel = await orgIdBySlug('kestrel-bureau');
    const guayas = await orgIdBySlug('guayas-customs');
    const selat = await orgIdBySlug('selat-fiu');
    const logins = demoLogins().users.map((u) => u.email);
    for (const e of ['analyst@kestrel', 'analyst@guayas', 'analyst@selat'])
      expect(logins.some((l) => l.startsWith(e))).toBe(true);

    // An agreement in force, signed by both, whose scope and ceiling admit records of each side.
    const shared = await sql<{ reference: string; kestrel_records: number; guayas_records: number }>`
      select a.reference,
        (select count(*)::int from records r where r.owner_org_id = ${kestrel} and r.status = 'active'
           and r.crime_areas && a.crime_areas and r.purposes && a.purposes
           and r.data_category = any(a.data_categories)
           and r.tlp = any(${sql.val(allowedUnder('TLP:AMBER+STRICT'))}::text[])
           and (r.subject_category is null or not (r.subject_category = any(${sql.val([...RESTRICTED_SUBJECT_CATEGORIES])}::text[])))
        ) as kestrel_records,
        (select count(*)::int from records r where r.owner_org_id = ${guayas} and r.status = 'active'
           and r.crime_areas && a.crime_areas and r.purposes && a.purposes
           and r.data_category = any(a.data_categories)
           and r.tlp = any(${sql.val(allowedUnder('TLP:AMBER+STRICT'))}::text[])
        ) as guayas_records
      from agreements a
      join agreement_parties pk on pk.agreement_id = a.id and pk.organization_id = ${kestrel} and pk.signed_at is not null
      join agreement_parties pg on pg.agreement_id = a.id and pg.organization_id = ${guayas} and pg.signed_at is not null
      where a.status in ('active', 'pilot') and a.valid_from <= ${NOW} and a.sunset_at > ${NOW}
        and a.ceiling_tlp = 'TLP:AMBER+STRICT'
      order by a.reference`.execute(ctx.db);
    expect(shared.rows.map((r) => r.reference)).toEqual(['AGR-DSP-2025-014', 'JIT-2026-TIDEWATER']);
    for (const row of shared.rows) {
      expect(row.kestrel_records).toBeGreaterThan(10);
      expect(row.guayas_records).toBeGreaterThan(10);
    }

    const common = await sql<{ n: number }>`
      select count(*)::int as n from agreement_parties a
      join agreement_parties b on b.agreement_id = a.agreement_id
      where a.organization_id = ${kestrel} and b.organization_id = ${selat}`.execute(ctx.db);
    expect(common.rows[0]?.n).toBe(0);
    // Nor any other way in: no TLP:CLEAR record of Kestrel, Selat named on none, and nothing in the
    // one data category (modus operandi) that flows under the framework treaty between their regional bodies.
    const otherPaths = await sql<{ n: number }>`
      select count(*)::int as n from records r
      where r.owner_org_id = ${kestrel}
        and (r.tlp = 'TLP:CLEAR' or r.data_category = 'modus_operandi' or exists (
          select 1 from record_recipients x where x.record_id = r.id and x.organization_id = ${selat}))`.execute(
      ctx.db,
    );
    expect(otherPaths.rows[0]?.n).toBe(0);
  });

  it('records the load in the audit chain and refuses a second load', async () => {
    const entries = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'demo.loaded')
      .execute();
    expect(entries).toHaveLength(1);
    const details = (
      typeof entries[0]?.details === 'string' ? JSON.parse(entries[0].details) : entries[0]?.details
    ) as Record<string, number>;
    expect(details.records).toBeGreaterThanOrEqual(300);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);

    const before = await ctx.db
      .selectFrom('records')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirst();
    expect(await loadDemoScenario(ctx)).toEqual({ loaded: false, summary: '' });
    const after = await ctx.db
      .selectFrom('records')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirst();
    expect(after?.n).toBe(before?.n);
  });
});

describe('demo record generation', () => {
  it('is deterministic for a seed, apart from ids', () => {
    const ids = () => {
      let n = 0;
      return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    };
    expect(buildDemoRecords(ids())).toEqual(buildDemoRecords(ids()));
    expect(buildDemoRecords(ids(), 7)).not.toEqual(buildDemoRecords(ids()));
  });

  it('mulberry32 repeats its sequence for a seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

/** The labels at or below a ceiling, minus RED (which flows to named recipients only). */
function allowedUnder(ceiling: TlpLabel): string[] {
  return TLP_LABELS.filter((t) => tlpRank(t) <= tlpRank(ceiling) && t !== 'TLP:RED');
}
