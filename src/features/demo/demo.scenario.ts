import { randomUUID } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { hashPassword } from '../../platform/auth/secrets.js';
import { addDays } from '../../platform/clock.js';
import type { Tx } from '../../platform/db/db.js';
import type { Database } from '../../platform/db/schema.js';
import { dataCategoryFor, normalizeProperties, validateProperties } from '../records/records.model.js';
import { searchColumnsFor } from '../records/records.search-columns.js';
import { DEMO_AGREEMENTS } from './demo.agreements.js';
import { DEMO_ORGANIZATIONS, type DemoOrgKey, demoOrg } from './demo.organizations.js';
import { buildDemoRecords } from './demo.records.js';
import { DEMO_PASSWORD, DEMO_USERS, demoEmail, PRINTED_LOGINS } from './demo.users.js';

/*
 * The demo scenario: cooperation against a cocaine route (Guayaquil → Mombasa), the laundering ring
 * behind it, and a wildlife-trafficking vessel, among 14 fictional organizations.
 *
 * Governed sharing, as the printed logins show it:
 * - analyst@kestrel (Kestrel Bureau of Investigation, KE police) and analyst@guayas (Guayas Maritime
 *   Customs Directorate, EC) share under the active protocol AGR-DSP-2025-014 "MARLIN" and the joint
 *   team JIT-2026-TIDEWATER.
 * - analyst@selat (Selat Financial Intelligence Centre, MY) has no agreement with Kestrel: neither
 *   sees the other's records, although both hold pieces of the same networks (matching finds them).
 */

const RECORD_RETENTION_DAYS = 5 * 365;
const REVIEW_BEFORE_EXPIRY_DAYS = 182;
const BATCH = 500;
// Serialises two processes starting in demo mode on one empty PostgreSQL.
const DEMO_LOCK = 7263002;

/** A one-line description of the sharing the demo logins show; printed in the load summary. */
export const DEMO_SHARING_NOTE =
  'analyst@kestrel and analyst@guayas share under AGR-DSP-2025-014 (MARLIN) and JIT-2026-TIDEWATER; ' +
  'analyst@selat has no agreement with Kestrel and sees none of its records';

/** Inserts rows in batches of at most BATCH, keeping each statement under parameter limits. */
async function insertBatched<T extends keyof Database & string>(
  trx: Tx,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await trx
      .insertInto(table)
      // Kysely cannot relate a generic table name to its row type; the parameter type checks the rows.
      .values(rows.slice(i, i + BATCH) as never)
      .execute();
  }
}

/** Counts of what a load inserted, for the summary and the `demo.loaded` audit entry. */
export interface DemoCounts {
  organizations: number;
  memberships: number;
  users: number;
  agreements: number;
  agreementEvents: number;
  records: number;
  recipients: number;
}

/**
 * Loads the demo scenario into an empty database. Does nothing (loaded: false) when any organization
 * exists. Otherwise inserts every organization, user, agreement (with parties, history and incidents)
 * and record in one transaction with one `demo.loaded` audit entry, all dated relative to
 * `ctx.clock.now()`. Throws, leaving nothing written, if any demo record fails FtM validation.
 */
export async function loadDemoScenario(ctx: AppContext): Promise<{ loaded: boolean; summary: string }> {
  if (await hasOrganizations(ctx.db)) return { loaded: false, summary: '' };
  const now = ctx.clock.now();
  const at = (day: number) => addDays(now, day);
  // Hashed once: argon2id is deliberately slow and every demo user shares the password.
  const passwordHash = await hashPassword(DEMO_PASSWORD, ctx.config.argon2);

  const orgId = new Map<DemoOrgKey, string>(DEMO_ORGANIZATIONS.map((o) => [o.key, randomUUID()]));
  const idOf = (key: DemoOrgKey): string => {
    const id = orgId.get(key);
    if (!id) throw new Error(`demo organization ${key} has no id`);
    return id;
  };

  const organizations = DEMO_ORGANIZATIONS.map((o) => ({
    id: idOf(o.key),
    slug: o.slug,
    name: o.name,
    short_name: o.shortName,
    kind: o.kind,
    region: o.region,
    countries: o.countries,
    agency_type: o.agencyType,
    crime_areas: o.crimeAreas,
    mfa_required: false,
    // Before the oldest agreement (signed ~1,660 days ago), so every signer existed when signing.
    created_at: at(-1800),
    updated_at: at(-1800),
  }));
  const memberships = DEMO_ORGANIZATIONS.flatMap((o) =>
    o.memberOf.map((body) => ({ member_id: idOf(o.key), body_id: idOf(body), since: at(-1780) })),
  );

  const users = DEMO_USERS.map((u) => ({
    id: randomUUID(),
    organization_id: idOf(u.org),
    email: demoEmail(u),
    display_name: u.displayName,
    password_hash: passwordHash,
    roles: u.roles,
    mfa_secret: null,
    locked_until: null,
    disabled_at: null,
    last_login_at: null,
    created_at: at(-1750),
    updated_at: at(-1750),
  }));
  // Signatures and history are attributed to each organization's administrator.
  const signerOf = (key: DemoOrgKey): string | null => {
    const admin = DEMO_USERS.findIndex(
      (u) => u.org === key && (u.roles.includes('org_admin') || u.roles.includes('platform_admin')),
    );
    return admin >= 0 ? (users[admin]?.id ?? null) : null;
  };

  const agreements: Insertable<Database['agreements']>[] = [];
  const parties: Insertable<Database['agreement_parties']>[] = [];
  const events: Insertable<Database['agreement_events']>[] = [];
  const incidents: Insertable<Database['agreement_incidents']>[] = [];
  for (const a of DEMO_AGREEMENTS) {
    const id = randomUUID();
    const lastChange = Math.max(
      a.createdDay,
      ...a.transitions.map((t) => t.day),
      ...(a.notes ?? []).map((n) => n.day),
    );
    agreements.push({
      id,
      reference: a.reference,
      title: a.title,
      kind: a.kind,
      status: a.status,
      description: a.description,
      crime_areas: a.crimeAreas,
      data_categories: a.dataCategories,
      purposes: a.purposes,
      ceiling_tlp: a.ceiling.tlp,
      ceiling_h2_allowed: a.ceiling.h2Allowed,
      ceiling_onward_transfer: a.ceiling.onwardTransfer,
      matching_allowed: a.matchingAllowed,
      max_retention_days: a.maxRetentionDays,
      valid_from: at(a.validFromDay),
      sunset_at: at(a.sunsetDay),
      pilot_ends_at: a.pilot ? at(a.pilot.endsDay) : null,
      pilot_success_criteria: a.pilot?.successCriteria ?? null,
      review_triggers: JSON.stringify(a.reviewTriggers),
      last_reviewed_at: a.lastReviewedDay === null ? null : at(a.lastReviewedDay),
      exchanged_since_review: a.exchangedSinceReview,
      created_by_org_id: idOf(a.createdBy),
      version: 1 + a.transitions.length + (a.notes?.length ?? 0),
      created_at: at(a.createdDay),
      updated_at: at(lastChange),
    });
    const event = (
      day: number,
      action: string,
      by: DemoOrgKey | null,
      from: string | null,
      to: string | null,
      details: Record<string, unknown>,
    ) =>
      events.push({
        id: randomUUID(),
        agreement_id: id,
        at: at(day),
        action,
        actor_user_id: by ? signerOf(by) : null,
        actor_org_id: by ? idOf(by) : null,
        from_status: from,
        to_status: to,
        details: JSON.stringify(details),
      });
    event(a.createdDay, 'created', a.createdBy, null, 'draft', { reference: a.reference, kind: a.kind });
    for (const p of a.parties) {
      const signedBy = p.signedDay === null ? null : signerOf(p.org);
      parties.push({
        agreement_id: id,
        organization_id: idOf(p.org),
        signed_at: p.signedDay === null ? null : at(p.signedDay),
        signed_by: signedBy,
      });
      if (p.signedDay !== null)
        event(p.signedDay, 'signed', p.org, null, null, { organization: demoOrg(p.org).name });
    }
    for (const t of a.transitions) event(t.day, 'status_changed', t.by, t.from, t.to, { reason: t.reason });
    for (const n of a.notes ?? []) event(n.day, n.action, n.by, null, null, n.details);
    for (const i of a.incidents ?? []) {
      const incidentId = randomUUID();
      incidents.push({
        id: incidentId,
        agreement_id: id,
        reported_by_org_id: idOf(i.by),
        reported_by_user_id: signerOf(i.by),
        description: i.description,
        reported_at: at(i.day),
        resolved_at: i.resolvedDay === null ? null : at(i.resolvedDay),
      });
      event(i.day, 'incident_reported', i.by, null, null, { incidentId, description: i.description });
    }
  }

  const demoRecords = buildDemoRecords(randomUUID);
  const analystOf = new Map<DemoOrgKey, string>();
  DEMO_USERS.forEach((u, i) => {
    const id = users[i]?.id;
    if (id && !analystOf.has(u.org) && (u.roles.includes('analyst') || u.roles.includes('org_admin')))
      analystOf.set(u.org, id);
  });
  const records = demoRecords.map((r) => {
    const properties = normalizeProperties(r.schema, r.properties);
    const errors = validateProperties(r.schema, properties);
    if (errors.length > 0) {
      throw new Error(
        `demo record ${r.externalId} (${r.schema}) is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      );
    }
    const createdAt = at(r.createdDay);
    const expiresAt = addDays(createdAt, RECORD_RETENTION_DAYS);
    return {
      id: r.id,
      owner_org_id: idOf(r.owner),
      schema: r.schema,
      ...searchColumnsFor(r.schema, properties),
      properties: JSON.stringify(properties),
      tlp: r.tlp,
      handling_codes: r.codes,
      handling_h3_text: r.h3Text,
      evaluation_scheme: r.evaluation.scheme,
      evaluation_source: r.evaluation.source,
      evaluation_information: r.evaluation.information,
      crime_areas: r.crimeAreas,
      purposes: r.purposes,
      data_category: dataCategoryFor(r.schema),
      subject_category: r.subjectCategory,
      status: r.retractedReason ? 'retracted' : 'active',
      retracted_reason: r.retractedReason,
      retracted_at: r.retractedReason ? at(r.createdDay + 1) : null,
      version: r.retractedReason ? 2 : 1,
      review_at: addDays(expiresAt, -REVIEW_BEFORE_EXPIRY_DAYS),
      expires_at: expiresAt,
      external_id: r.externalId,
      created_by: analystOf.get(r.owner) ?? null,
      created_at: createdAt,
      updated_at: r.retractedReason ? at(r.createdDay + 1) : createdAt,
    };
  });
  // Each record's history starts with its creation (and, for retracted ones, the retraction), so
  // the History tab of a demo record is never empty.
  const versions = records.flatMap((r) => {
    const createdBy = { actor_user_id: r.created_by, actor_org_id: r.owner_org_id };
    const snapshot = (status: string, reason: string | null) =>
      JSON.stringify({
        schema: r.schema,
        caption: r.caption,
        properties: JSON.parse(r.properties),
        handling: { tlp: r.tlp, codes: r.handling_codes, h3Text: r.handling_h3_text },
        evaluation: {
          scheme: r.evaluation_scheme,
          source: r.evaluation_source,
          information: r.evaluation_information,
        },
        crimeAreas: r.crime_areas,
        purposes: r.purposes,
        dataCategory: r.data_category,
        subjectCategory: r.subject_category,
        status,
        retractedReason: reason,
        reviewAt: r.review_at.toISOString(),
        expiresAt: r.expires_at.toISOString(),
        externalId: r.external_id,
      });
    const created = {
      record_id: r.id,
      version: 1,
      at: r.created_at,
      action: 'created',
      ...createdBy,
      snapshot: snapshot('active', null),
    };
    if (r.status !== 'retracted') return [created];
    return [
      created,
      {
        record_id: r.id,
        version: 2,
        at: r.updated_at,
        action: 'retracted',
        ...createdBy,
        snapshot: snapshot('retracted', r.retracted_reason),
      },
    ];
  });
  const recipients = demoRecords.flatMap((r) =>
    r.recipients.map((org) => ({
      record_id: r.id,
      organization_id: idOf(org),
      added_at: at(r.createdDay),
      added_by: analystOf.get(r.owner) ?? null,
    })),
  );

  const counts: DemoCounts = {
    organizations: organizations.length,
    memberships: memberships.length,
    users: users.length,
    agreements: agreements.length,
    agreementEvents: events.length,
    records: records.length,
    recipients: recipients.length,
  };

  const loaded = await ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${DEMO_LOCK})`.execute(trx);
    if (await hasOrganizations(trx)) return false;
    await insertBatched(trx, 'organizations', organizations);
    await insertBatched(trx, 'organization_memberships', memberships);
    await insertBatched(trx, 'users', users);
    await insertBatched(trx, 'agreements', agreements);
    await insertBatched(trx, 'agreement_parties', parties);
    await insertBatched(trx, 'agreement_events', events);
    await insertBatched(trx, 'agreement_incidents', incidents);
    await insertBatched(trx, 'records', records);
    await insertBatched(trx, 'record_recipients', recipients);
    await insertBatched(trx, 'record_versions', versions);
    await appendAudit(trx, now, [
      {
        action: 'demo.loaded',
        actorOrgId: idOf('meridian'),
        objectType: 'demo',
        outcome: 'success',
        details: { ...counts },
      },
    ]);
    return true;
  });
  if (!loaded) return { loaded: false, summary: '' };
  const summary =
    `${counts.organizations} organizations, ${counts.users} users, ${counts.agreements} agreements, ` +
    `${counts.records} records; ${DEMO_SHARING_NOTE}`;
  return { loaded: true, summary };
}

async function hasOrganizations(db: AppContext['db'] | Tx): Promise<boolean> {
  const row = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * The logins to print at start (about ten, with organization names) and the shared demo password.
 * Chosen so a newcomer can compare two partners that share (Kestrel and Guayas, under MARLIN) with
 * one that shares nothing with Kestrel (Selat).
 */
export function demoLogins(): {
  password: string;
  users: { email: string; roles: string[]; organization: string }[];
} {
  return {
    password: DEMO_PASSWORD,
    users: PRINTED_LOGINS.map((l) => {
      const u = DEMO_USERS.find((d) => d.org === l.org && d.local === l.local);
      if (!u) throw new Error(`printed demo login ${l.local}@${l.org} is not a demo user`);
      return { email: demoEmail(u), roles: [...u.roles], organization: demoOrg(u.org).name };
    }),
  };
}
