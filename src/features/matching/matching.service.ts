import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { DATA_READER_ROLES, DATA_WRITER_ROLES, type Role } from '../../domain/vocabulary.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { type Actor, hasRole } from '../../platform/auth/actor.js';
import { openSealedSecret, sealSecret } from '../../platform/auth/sealed-secret.js';
import type { Executor } from '../../platform/db/db.js';
import { forbidden, invalid, notFound, Problem } from '../../platform/http/problem.js';
import { type OrgRefRow, orgRefs } from '../records/records.store.js';
import { featureIdsOf } from './blind.js';
import {
  DEFAULT_ENGINE,
  encodeRecord,
  matchingPartners,
  roundScore,
  searchEncoded,
} from './matching.engine.js';
import { activeEncoder } from './matching.keys.js';
import type { HitState, MatchHitRow } from './matching.store.js';

/*
 * Hits and checks as an organization sees them: its own record, the other organization, the
 * score and the kinds of feature that matched, a reference. Never anything of the other record,
 * not even its id.
 */

export const MATCH_READ_ROLES: readonly Role[] = DATA_READER_ROLES;
export const MATCH_ACT_ROLES: readonly Role[] = DATA_WRITER_ROLES;

export function requireMatchRole(actor: Actor, roles: readonly Role[]): void {
  if (!hasRole(actor, ...roles))
    throw forbidden(`This action needs one of the roles: ${roles.join(', ')}.`, 'role_required');
}

export interface RecordRef {
  id: string;
  schema: string;
  caption: string;
  tlp: string;
}

export interface DisclosureSummary {
  id: string;
  reference: string;
  status: string;
  deadlineAt: string;
  overdue: boolean;
}

export interface HitView {
  id: string;
  reference: string;
  score: number;
  features: string[];
  cappedKeys: number;
  status: string;
  closedReason: string | null;
  state: HitState;
  createdAt: string;
  updatedAt: string;
  record: RecordRef;
  otherOrganization: OrgRefRow;
  disclosure: DisclosureSummary | null;
}

/** The side of a hit an organization is on, or null. */
export function sideOf(hit: Pick<MatchHitRow, 'org_a' | 'org_b'>, orgId: string): 'a' | 'b' | null {
  return hit.org_a === orgId ? 'a' : hit.org_b === orgId ? 'b' : null;
}

async function hitViews(ctx: AppContext, orgId: string, rows: MatchHitRow[], now: Date): Promise<HitView[]> {
  if (rows.length === 0) return [];
  const own = rows.map((h) => (h.org_a === orgId ? h.record_a : h.record_b));
  const others = rows.map((h) => (h.org_a === orgId ? h.org_b : h.org_a));
  const [records, orgs, disclosures] = await Promise.all([
    // Only records the organization owns now: a record that changed owner leaves the old owner's
    // hits without a description.
    ctx.db
      .selectFrom('records')
      .select(['id', 'schema', 'caption', 'tlp'])
      .where('id', 'in', own)
      .where('owner_org_id', '=', orgId)
      .execute(),
    orgRefs(ctx.db, others),
    ctx.db
      .selectFrom('match_disclosures')
      .select(['id', 'reference', 'status', 'deadline_at', 'hit_id', 'created_at'])
      .where(
        'hit_id',
        'in',
        rows.map((h) => h.id),
      )
      .where('requester_org_id', '=', orgId)
      .orderBy('created_at', 'desc')
      .execute(),
  ]);
  const recordOf = new Map(records.map((r) => [r.id, r]));
  const disclosureOf = new Map<string, DisclosureSummary>();
  for (const d of disclosures) {
    if (d.hit_id === null || disclosureOf.has(d.hit_id)) continue;
    disclosureOf.set(d.hit_id, {
      id: d.id,
      reference: d.reference,
      status: d.status,
      deadlineAt: d.deadline_at.toISOString(),
      overdue: d.status === 'pending' && d.deadline_at <= now,
    });
  }
  return rows.map((h, i) => {
    const side = sideOf(h, orgId)!;
    const record = recordOf.get(own[i]!);
    return {
      id: h.id,
      reference: h.reference,
      score: roundScore(h.score),
      features: h.features,
      cappedKeys: h.capped_keys,
      status: h.status,
      closedReason: h.closed_reason,
      state: side === 'a' ? h.state_a : h.state_b,
      createdAt: h.created_at.toISOString(),
      updatedAt: h.updated_at.toISOString(),
      record: record
        ? { id: record.id, schema: record.schema, caption: record.caption, tlp: record.tlp }
        : { id: own[i]!, schema: '', caption: '', tlp: '' },
      otherOrganization: orgs.get(others[i]!) ?? { id: others[i]!, slug: '', name: '', kind: '' },
      disclosure: disclosureOf.get(h.id) ?? null,
    };
  });
}

export interface HitListQuery {
  status?: 'open' | 'closed' | 'all';
  state?: HitState;
  q?: string;
  recordId?: string;
  page?: number;
  pageSize?: number;
}

/** The hits of the actor's organization, newest first. Audited: the list tells that others hold records. */
export async function listHits(ctx: AppContext, actor: Actor, query: HitListQuery, ip?: string) {
  requireMatchRole(actor, MATCH_READ_ROLES);
  const org = actor.organizationId;
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 25;
  const now = ctx.clock.now();
  let q = ctx.db
    .selectFrom('match_hits as h')
    .innerJoin('records as r', (j) =>
      j.on(sql<boolean>`r.id = CASE WHEN h.org_a = ${org} THEN h.record_a ELSE h.record_b END`),
    )
    .where((eb) => eb.or([eb('h.org_a', '=', org), eb('h.org_b', '=', org)]));
  const status = query.status ?? 'open';
  if (status !== 'all') q = q.where('h.status', '=', status);
  if (query.state)
    q = q.where(sql<string>`CASE WHEN h.org_a = ${org} THEN h.state_a ELSE h.state_b END`, '=', query.state);
  if (query.recordId) q = q.where('r.id', '=', query.recordId);
  if (query.q && query.q.trim() !== '') {
    const like = `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('h.reference', 'ilike', like), eb('r.caption', 'ilike', like)]));
  }
  const [rows, total, unseen] = await Promise.all([
    q
      .selectAll('h')
      .orderBy('h.updated_at', 'desc')
      .orderBy('h.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('match_hits')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'open')
      .where((eb) =>
        eb.or([
          eb.and([eb('org_a', '=', org), eb('state_a', '=', 'new')]),
          eb.and([eb('org_b', '=', org), eb('state_b', '=', 'new')]),
        ]),
      )
      .executeTakeFirstOrThrow(),
  ]);
  const items = await hitViews(ctx, org, rows as MatchHitRow[], now);
  if (items.length > 0) {
    await appendAudit(ctx.db, now, [
      {
        action: 'match.hits_listed',
        actorUserId: actor.userId,
        actorOrgId: org,
        objectType: 'match_hit',
        ownerOrgId: org,
        outcome: 'allow',
        ip: ip ?? null,
        details: { references: items.map((h) => h.reference) },
      },
    ]);
  }
  return { items, total: Number(total.n), page, pageSize, unseen: Number(unseen.n) };
}

/** Loads a hit the actor's organization is a side of, or 404. */
export async function loadHitFor(db: Executor, actor: Actor, id: string): Promise<MatchHitRow> {
  const hit = await db.selectFrom('match_hits').selectAll().where('id', '=', id).executeTakeFirst();
  if (!hit || sideOf(hit, actor.organizationId) === null) throw notFound('hit');
  return hit;
}

export async function getHit(ctx: AppContext, actor: Actor, id: string, ip?: string): Promise<HitView> {
  requireMatchRole(actor, MATCH_READ_ROLES);
  const hit = await loadHitFor(ctx.db, actor, id);
  const now = ctx.clock.now();
  const [view] = await hitViews(ctx, actor.organizationId, [hit], now);
  await appendAudit(ctx.db, now, [
    {
      action: 'match.hit_read',
      actorUserId: actor.userId,
      actorOrgId: actor.organizationId,
      objectType: 'match_hit',
      objectId: hit.id,
      ownerOrgId: actor.organizationId,
      outcome: 'allow',
      ip: ip ?? null,
      details: { reference: hit.reference },
    },
  ]);
  return view!;
}

/** Moves a hit in the actor's inbox (new, seen, dismissed); the other side's state is its own. */
export async function setHitState(
  ctx: AppContext,
  actor: Actor,
  id: string,
  state: HitState,
): Promise<HitView> {
  requireMatchRole(actor, MATCH_READ_ROLES);
  const hit = await loadHitFor(ctx.db, actor, id);
  const side = sideOf(hit, actor.organizationId)!;
  const now = ctx.clock.now();
  await ctx.db
    .updateTable('match_hits')
    .set(side === 'a' ? { state_a: state } : { state_b: state })
    .where('id', '=', id)
    .execute();
  const fresh = await loadHitFor(ctx.db, actor, id);
  const [view] = await hitViews(ctx, actor.organizationId, [fresh], now);
  return view!;
}

// ---------------------------------------------------------------------------------------------
// Checks

export const CHECK_LIMITS = { perUserPerMinute: 30, perOrgPerMinute: 120 };
const CHECK_REFERENCE_DAYS = 30;
const REFERENCE_PURPOSE = 'match-check-reference';

/**
 * Counts a check against the per-user and per-organization windows (one minute, shared by every
 * process through the database). Returns the seconds to wait when over a limit.
 */
export async function takeCheckQuota(ctx: AppContext, actor: Actor): Promise<number | null> {
  const now = ctx.clock.now();
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const scopes = [`user:${actor.userId}`, `org:${actor.organizationId}`];
  const rows = await sql<{ scope: string; count: number }>`
    INSERT INTO match_check_usage (scope, window_start, count)
    SELECT s, ${windowStart}, 1 FROM unnest(${sql.val(scopes)}::text[]) AS s
    ON CONFLICT (scope, window_start) DO UPDATE SET count = match_check_usage.count + 1
    RETURNING scope, count
  `.execute(ctx.db);
  const over = rows.rows.some((r) =>
    r.scope.startsWith('user:')
      ? r.count > CHECK_LIMITS.perUserPerMinute
      : r.count > CHECK_LIMITS.perOrgPerMinute,
  );
  if (!over) return null;
  return Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
}

export interface CheckInput {
  schema: string;
  properties: Record<string, string[]>;
}

export interface CheckOrganizationResult {
  organization: OrgRefRow;
  result: 'hit' | 'no_hit';
  reference?: string;
  score?: number;
  features?: string[];
}

export interface CheckReference {
  recordId: string;
  ownerOrgId: string;
  score: number;
  features: string[];
  expiresAt: string;
}

/** Opens a check reference sealed to the requesting organization; throws a 400 when it is not one. */
export function openCheckReference(
  ctx: AppContext,
  requesterOrgId: string,
  reference: string,
): CheckReference {
  let parsed: { r: string; o: string; s: number; f: string[]; x: string };
  try {
    parsed = JSON.parse(openSealedSecret(ctx.config.secretKey, REFERENCE_PURPOSE, requesterOrgId, reference));
  } catch {
    throw invalid(
      'checkReference',
      'valid_reference',
      'This is not a check reference issued to your organization.',
    );
  }
  if (new Date(parsed.x) <= ctx.clock.now())
    throw invalid('checkReference', 'not_expired', 'This check reference has expired; run the check again.');
  return {
    recordId: parsed.r,
    ownerOrgId: parsed.o,
    score: parsed.s,
    features: parsed.f,
    expiresAt: parsed.x,
  };
}

/**
 * Hit/no-hit on demand: the entity is encoded in memory, compared with the records of every
 * organization the actor's organization may match with, and forgotten. Per organization: hit
 * (best score, kinds of feature, a reference sealed to the asking organization that a disclosure
 * request can quote) or no hit. The audit entry keeps who asked, the kinds of value submitted, a
 * keyed fingerprint of the encoding and the answers, never the values.
 */
export async function checkEntity(ctx: AppContext, actor: Actor, input: CheckInput, ip?: string) {
  requireMatchRole(actor, MATCH_ACT_ROLES);
  const now = ctx.clock.now();
  const orgRow = await ctx.db
    .selectFrom('organizations')
    .select('countries')
    .where('id', '=', actor.organizationId)
    .executeTakeFirst();
  const encoder = await activeEncoder(ctx);
  const encoded = encodeRecord(encoder, input, orgRow?.countries?.[0]);
  if (!encoded)
    throw new Problem(
      422,
      'nothing_to_match',
      'Nothing to match on',
      'Give at least a name or an identifier that can be read.',
      [{ field: 'properties', rule: 'matchable', message: 'No name or readable identifier.' }],
    );
  const partners = await matchingPartners(ctx.db, actor.organizationId, now);
  const [answer] = await searchEncoded(
    ctx.db,
    encoder.keyId,
    [{ encoded, organizations: partners }],
    DEFAULT_ENGINE,
  );
  const best = new Map<string, { recordId: string; score: number; features: string[] }>();
  for (const r of answer!.results) if (!best.has(r.organizationId)) best.set(r.organizationId, r);
  const refs = await orgRefs(ctx.db, partners);
  const expiresAt = new Date(now.getTime() + CHECK_REFERENCE_DAYS * 86_400_000).toISOString();
  const organizations: CheckOrganizationResult[] = partners.map((org) => {
    const organization = refs.get(org) ?? { id: org, slug: '', name: '', kind: '' };
    const hit = best.get(org);
    if (!hit) return { organization, result: 'no_hit' };
    const reference = sealSecret(
      ctx.config.secretKey,
      REFERENCE_PURPOSE,
      actor.organizationId,
      JSON.stringify({ r: hit.recordId, o: org, s: roundScore(hit.score), f: hit.features, x: expiresAt }),
    );
    return { organization, result: 'hit', reference, score: roundScore(hit.score), features: hit.features };
  });
  organizations.sort((x, y) =>
    x.result === y.result
      ? x.organization.name.localeCompare(y.organization.name)
      : x.result === 'hit'
        ? -1
        : 1,
  );
  const fingerprint = createHmac('sha256', ctx.config.secretKey)
    .update(`match-check-fingerprint\u0000${encoder.keyId}\u0000${featureIdsOf(encoded).sort().join(',')}`)
    .digest('base64url')
    .slice(0, 22);
  await appendAudit(ctx.db, now, [
    {
      action: 'match.checked',
      actorUserId: actor.userId,
      actorOrgId: actor.organizationId,
      objectType: 'match_check',
      ownerOrgId: actor.organizationId,
      outcome: 'success',
      ip: ip ?? null,
      details: {
        schema: input.schema,
        submitted: Object.keys(input.properties)
          .filter((p) => (input.properties[p] ?? []).length > 0)
          .sort(),
        fingerprint,
        keyId: encoder.keyId,
        hits: organizations
          .filter((o) => o.result === 'hit')
          .map((o) => ({ organization: o.organization.id, score: o.score, features: o.features })),
        partners: partners.length,
      },
    },
  ]);
  return { checkedAt: now.toISOString(), cappedKeys: answer!.cappedKeys, organizations };
}

/** Drops check counters of windows long past (run by the match job, off the check's path). */
export async function pruneCheckUsage(ctx: AppContext): Promise<void> {
  await ctx.db
    .deleteFrom('match_check_usage')
    .where('window_start', '<', new Date(ctx.clock.now().getTime() - 3_600_000))
    .execute();
}

/** What the matching pages show at the top: index size, queue, partners, settings. */
export async function matchStatus(ctx: AppContext, actor: Actor) {
  requireMatchRole(actor, MATCH_READ_ROLES);
  const now = ctx.clock.now();
  const [indexed, queued, partners, key] = await Promise.all([
    ctx.db
      .selectFrom('match_entities')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('organization_id', '=', actor.organizationId)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('match_queue')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    matchingPartners(ctx.db, actor.organizationId, now),
    ctx.db.selectFrom('match_keys').select('id').where('status', '=', 'active').executeTakeFirst(),
  ]);
  const refs = await orgRefs(ctx.db, partners);
  return {
    indexed: Number(indexed.n),
    queued: Number(queued.n),
    partners: partners.map((p) => refs.get(p)).filter((p): p is OrgRefRow => !!p),
    threshold: DEFAULT_ENGINE.threshold,
    maxPostings: DEFAULT_ENGINE.candidates.maxPostings,
    activeKey: key?.id ?? null,
  };
}
