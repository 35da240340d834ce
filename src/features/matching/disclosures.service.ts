import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { emit } from '../../platform/events/outbox.js';
import { conflict, forbidden, invalid, invalidMany, notFound, Problem } from '../../platform/http/problem.js';
import type { RecordViewT } from '../records/records.schema.js';
import { getRecord } from '../records/records.service.js';
import { type OrgRefRow, orgRefs } from '../records/records.store.js';
import { roundScore, shortReference } from './matching.engine.js';
import {
  loadHitFor,
  MATCH_ACT_ROLES,
  MATCH_READ_ROLES,
  openCheckReference,
  type RecordRef,
  requireMatchRole,
  sideOf,
} from './matching.service.js';
import type { DisclosureStatus, MatchDisclosureRow } from './matching.store.js';

/*
 * Disclosure after a hit (DOMAIN.md, "Cross-jurisdiction matching", step 2): the requester asks
 * with a purpose and a justification; the owner reviews its own record against the request and
 * discloses the whole record or chosen properties, or declines with a reason; a disclosure can be
 * revoked. A disclosed request is the policy engine's third way to read (basis `disclosure`,
 * `decideRead`), so every read of the disclosed record goes through the engine and is audited.
 */

export const DISCLOSURE_DEADLINE_HOURS = 48;

export interface DisclosureRequestInput {
  hitId?: string;
  checkReference?: string;
  purpose: string;
  justification: string;
}

export interface DisclosureView {
  id: string;
  reference: string;
  status: DisclosureStatus;
  overdue: boolean;
  deadlineAt: string;
  createdAt: string;
  decidedAt: string | null;
  revokedAt: string | null;
  purpose: string;
  justification: string;
  decisionReason: string | null;
  revokeReason: string | null;
  properties: string[] | null;
  hit: { id: string; reference: string; score: number; features: string[] } | null;
  checkScore: number | null;
  checkFeatures: string[] | null;
  ownerOrganization: OrgRefRow;
  requesterOrganization: OrgRefRow;
  requester: { displayName: string } | null;
  box: 'incoming' | 'outgoing';
  ownRecord: RecordRef | null;
  permissions: { decide: boolean; revoke: boolean; withdraw: boolean };
}

async function views(ctx: AppContext, actor: Actor, rows: MatchDisclosureRow[]): Promise<DisclosureView[]> {
  if (rows.length === 0) return [];
  const now = ctx.clock.now();
  const org = actor.organizationId;
  const hitIds = rows.map((r) => r.hit_id).filter((h): h is string => h !== null);
  const ownRecordIds = rows
    .map((r) => (r.owner_org_id === org ? r.record_id : r.requester_record_id))
    .filter((id): id is string => id !== null);
  const userIds = rows.map((r) => r.requester_user_id).filter((u): u is string => u !== null);
  const [hits, records, users, refs] = await Promise.all([
    hitIds.length === 0
      ? []
      : ctx.db
          .selectFrom('match_hits')
          .select(['id', 'reference', 'score', 'features'])
          .where('id', 'in', hitIds)
          .execute(),
    ownRecordIds.length === 0
      ? []
      : ctx.db
          .selectFrom('records')
          .select(['id', 'schema', 'caption', 'tlp', 'owner_org_id'])
          .where('id', 'in', ownRecordIds)
          .where('owner_org_id', '=', org)
          .execute(),
    userIds.length === 0
      ? []
      : ctx.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute(),
    orgRefs(
      ctx.db,
      rows.flatMap((r) => [r.owner_org_id, r.requester_org_id]),
    ),
  ]);
  const hitOf = new Map(hits.map((h) => [h.id, h]));
  const recordOf = new Map(records.map((r) => [r.id, r]));
  const userOf = new Map(users.map((u) => [u.id, u]));
  const orgRef = (id: string) => refs.get(id) ?? { id, slug: '', name: '', kind: '' };
  const canAct = MATCH_ACT_ROLES.some((r) => actor.roles.includes(r));
  return rows.map((r) => {
    const box = r.owner_org_id === org ? 'incoming' : 'outgoing';
    const hit = r.hit_id ? hitOf.get(r.hit_id) : undefined;
    const ownId = box === 'incoming' ? r.record_id : r.requester_record_id;
    const own = ownId ? recordOf.get(ownId) : undefined;
    const user = r.requester_user_id ? userOf.get(r.requester_user_id) : undefined;
    return {
      id: r.id,
      reference: r.reference,
      status: r.status,
      overdue: r.status === 'pending' && r.deadline_at <= now,
      deadlineAt: r.deadline_at.toISOString(),
      createdAt: r.created_at.toISOString(),
      decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
      revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
      purpose: r.purpose,
      justification: r.justification,
      decisionReason: r.decision_reason,
      revokeReason: r.revoke_reason,
      properties: r.properties,
      hit: hit
        ? { id: hit.id, reference: hit.reference, score: roundScore(hit.score), features: hit.features }
        : null,
      checkScore: r.check_score === null ? null : roundScore(r.check_score),
      checkFeatures: r.check_features,
      ownerOrganization: orgRef(r.owner_org_id),
      requesterOrganization: orgRef(r.requester_org_id),
      requester: user ? { displayName: user.display_name } : null,
      box,
      ownRecord: own ? { id: own.id, schema: own.schema, caption: own.caption, tlp: own.tlp } : null,
      permissions: {
        decide: canAct && box === 'incoming' && r.status === 'pending',
        revoke: canAct && box === 'incoming' && r.status === 'disclosed',
        withdraw: canAct && box === 'outgoing' && r.status === 'pending',
      },
    };
  });
}

async function loadFor(ctx: AppContext, actor: Actor, id: string): Promise<MatchDisclosureRow> {
  const row = await ctx.db
    .selectFrom('match_disclosures')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || (row.owner_org_id !== actor.organizationId && row.requester_org_id !== actor.organizationId))
    throw notFound('disclosure');
  return row;
}

async function viewOf(ctx: AppContext, actor: Actor, id: string): Promise<DisclosureView> {
  const [view] = await views(ctx, actor, [await loadFor(ctx, actor, id)]);
  return view!;
}

/** Asks the owner of a matched record to disclose it, from a hit or a check reference. */
export async function requestDisclosure(
  ctx: AppContext,
  actor: Actor,
  input: DisclosureRequestInput,
  ip?: string,
): Promise<DisclosureView> {
  requireMatchRole(actor, MATCH_ACT_ROLES);
  if ((input.hitId === undefined) === (input.checkReference === undefined))
    throw invalidMany([
      { field: 'hitId', rule: 'one_of', message: 'Give either a hit or a check reference.' },
      { field: 'checkReference', rule: 'one_of', message: 'Give either a hit or a check reference.' },
    ]);
  if (input.justification.trim().length < 10)
    throw invalid('justification', 'min_length', 'Say why the record is needed (at least 10 characters).');
  const now = ctx.clock.now();
  const org = actor.organizationId;
  let recordId: string;
  let ownerOrgId: string;
  let hitId: string | null = null;
  let requesterRecordId: string | null = null;
  let checkScore: number | null = null;
  let checkFeatures: string[] | null = null;
  if (input.hitId !== undefined) {
    const hit = await loadHitFor(ctx.db, actor, input.hitId);
    if (hit.status !== 'open')
      throw conflict('hit_closed', 'This hit is closed: the records no longer match.');
    const side = sideOf(hit, org)!;
    recordId = side === 'a' ? hit.record_b : hit.record_a;
    ownerOrgId = side === 'a' ? hit.org_b : hit.org_a;
    requesterRecordId = side === 'a' ? hit.record_a : hit.record_b;
    hitId = hit.id;
  } else {
    const ref = openCheckReference(ctx, org, input.checkReference!);
    const stillIndexed = await ctx.db
      .selectFrom('match_entities')
      .select('record_id')
      .where('record_id', '=', ref.recordId)
      .where('organization_id', '=', ref.ownerOrgId)
      .executeTakeFirst();
    if (!stillIndexed)
      throw conflict('no_longer_available', 'The matching record is no longer available for disclosure.');
    recordId = ref.recordId;
    ownerOrgId = ref.ownerOrgId;
    checkScore = ref.score;
    checkFeatures = ref.features;
  }
  const open = await ctx.db
    .selectFrom('match_disclosures')
    .select('reference')
    .where('record_id', '=', recordId)
    .where('requester_org_id', '=', org)
    .where('status', 'in', ['pending', 'disclosed'])
    .executeTakeFirst();
  if (open)
    throw conflict(
      'already_requested',
      `Your organization already has request ${open.reference} for this record.`,
    );
  const id = randomUUID();
  const reference = shortReference('D');
  const deadline = new Date(now.getTime() + DISCLOSURE_DEADLINE_HOURS * 3_600_000);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('match_disclosures')
      .values({
        id,
        reference,
        hit_id: hitId,
        record_id: recordId,
        owner_org_id: ownerOrgId,
        requester_org_id: org,
        requester_user_id: actor.userId,
        requester_record_id: requesterRecordId,
        check_score: checkScore,
        check_features: checkFeatures,
        purpose: input.purpose,
        justification: input.justification.trim(),
        status: 'pending',
        properties: null,
        decided_by: null,
        decided_at: null,
        decision_reason: null,
        revoked_by: null,
        revoked_at: null,
        revoke_reason: null,
        deadline_at: deadline,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await appendAudit(trx, now, [
      {
        action: 'match.disclosure_requested',
        actorUserId: actor.userId,
        actorOrgId: org,
        objectType: 'match_disclosure',
        objectId: id,
        ownerOrgId,
        outcome: 'success',
        ip: ip ?? null,
        details: { reference, hitId, fromCheck: hitId === null, purpose: input.purpose },
      },
    ]);
    await emit(trx, now, 'match.disclosure_requested', {
      disclosureId: id,
      reference,
      ownerOrgId,
      requesterOrgId: org,
      deadlineAt: deadline.toISOString(),
    });
  });
  return viewOf(ctx, actor, id);
}

export interface DisclosureListQuery {
  box?: 'incoming' | 'outgoing';
  status?: DisclosureStatus | 'overdue';
  page?: number;
  pageSize?: number;
}

export async function listDisclosures(ctx: AppContext, actor: Actor, query: DisclosureListQuery) {
  requireMatchRole(actor, MATCH_READ_ROLES);
  const org = actor.organizationId;
  const now = ctx.clock.now();
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 25;
  const box = query.box ?? 'incoming';
  let q = ctx.db
    .selectFrom('match_disclosures')
    .where(box === 'incoming' ? 'owner_org_id' : 'requester_org_id', '=', org);
  if (query.status === 'overdue') q = q.where('status', '=', 'pending').where('deadline_at', '<=', now);
  else if (query.status) q = q.where('status', '=', query.status);
  const [rows, total, pending, overdue] = await Promise.all([
    q
      .selectAll()
      // Pending first, by deadline; then the rest, newest first.
      .orderBy((eb) => eb.case().when('status', '=', 'pending').then(0).else(1).end())
      .orderBy((eb) => eb.case().when('status', '=', 'pending').then(eb.ref('deadline_at')).else(null).end())
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('match_disclosures')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('owner_org_id', '=', org)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('match_disclosures')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('owner_org_id', '=', org)
      .where('status', '=', 'pending')
      .where('deadline_at', '<=', now)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: await views(ctx, actor, rows),
    total: Number(total.n),
    page,
    pageSize,
    pendingIncoming: Number(pending.n),
    overdueIncoming: Number(overdue.n),
  };
}

/**
 * One request with the records to look at: the owner gets its own record in full (`review`); the
 * requester gets its own record of the hit (`own`) and, once disclosed, the disclosed part of the
 * other record (`disclosed`), read through the policy engine like any record read (audited).
 */
export async function getDisclosure(ctx: AppContext, actor: Actor, id: string, ip?: string) {
  requireMatchRole(actor, MATCH_READ_ROLES);
  const row = await loadFor(ctx, actor, id);
  const [view] = await views(ctx, actor, [row]);
  const out: DisclosureView & { review?: RecordViewT; own?: RecordViewT; disclosed?: RecordViewT } = {
    ...view!,
  };
  const read = async (recordId: string) => {
    try {
      return await getRecord(ctx, actor, recordId, { ip });
    } catch (err) {
      if (err instanceof Problem && (err.status === 404 || err.status === 410)) return undefined;
      throw err;
    }
  };
  if (view!.box === 'incoming') out.review = await read(row.record_id);
  else {
    if (row.requester_record_id) out.own = await read(row.requester_record_id);
    if (row.status === 'disclosed') out.disclosed = await read(row.record_id);
  }
  return out;
}

export interface DecisionInput {
  decision: 'disclose' | 'decline';
  properties?: string[];
  reason?: string;
}

async function change(
  ctx: AppContext,
  actor: Actor,
  row: MatchDisclosureRow,
  set: Partial<Omit<MatchDisclosureRow, 'id'>>,
  action: string,
  details: Record<string, unknown>,
  ip?: string,
): Promise<DisclosureView> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('match_disclosures')
      .set({ ...set, updated_at: now })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw conflict('changed_meanwhile', 'The request was changed meanwhile; reload it.');
    await appendAudit(trx, now, [
      {
        action,
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'match_disclosure',
        objectId: row.id,
        ownerOrgId: row.owner_org_id,
        outcome: 'success',
        ip: ip ?? null,
        details: { reference: row.reference, requesterOrgId: row.requester_org_id, ...details },
      },
    ]);
    await emit(trx, now, action, {
      disclosureId: row.id,
      reference: row.reference,
      ownerOrgId: row.owner_org_id,
      requesterOrgId: row.requester_org_id,
    });
  });
  return viewOf(ctx, actor, row.id);
}

/** The owner's decision on a pending request: disclose (all or chosen properties) or decline with a reason. */
export async function decideDisclosure(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: DecisionInput,
  ip?: string,
): Promise<DisclosureView> {
  requireMatchRole(actor, MATCH_ACT_ROLES);
  const row = await loadFor(ctx, actor, id);
  if (row.owner_org_id !== actor.organizationId)
    throw forbidden('Only the owner of the record decides.', 'not_owner');
  if (row.status !== 'pending') throw conflict('not_pending', `The request is ${row.status}.`);
  const now = ctx.clock.now();
  if (input.decision === 'decline') {
    const reason = input.reason?.trim() ?? '';
    if (reason.length < 5) throw invalid('reason', 'required', 'Say why the request is declined.');
    return change(
      ctx,
      actor,
      row,
      { status: 'declined', decided_by: actor.userId, decided_at: now, decision_reason: reason },
      'match.disclosure_declined',
      { reason },
      ip,
    );
  }
  const record = await ctx.db
    .selectFrom('records')
    .select(['properties', 'status', 'purged_at'])
    .where('id', '=', row.record_id)
    .executeTakeFirstOrThrow();
  if (record.status !== 'active' || record.purged_at !== null)
    throw conflict('record_not_active', 'The record is no longer active; it cannot be disclosed.');
  let properties: string[] | null = null;
  if (input.properties !== undefined) {
    const held = Object.keys(record.properties).filter((p) => (record.properties[p] ?? []).length > 0);
    const unknown = input.properties.filter((p) => !held.includes(p));
    if (unknown.length > 0)
      throw invalid('properties', 'held_properties', `The record holds no ${unknown.join(', ')}.`);
    if (input.properties.length === 0)
      throw invalid('properties', 'min_items', 'Choose at least one property, or decline.');
    properties = [...new Set(input.properties)].sort();
    if (properties.length === held.length) properties = null;
  }
  return change(
    ctx,
    actor,
    row,
    {
      status: 'disclosed',
      properties,
      decided_by: actor.userId,
      decided_at: now,
      decision_reason: input.reason?.trim() || null,
    },
    'match.disclosed',
    { properties: properties ?? 'all' },
    ip,
  );
}

/** The owner takes a disclosure back: from now on the requester reads nothing of the record. */
export async function revokeDisclosure(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
  ip?: string,
) {
  requireMatchRole(actor, MATCH_ACT_ROLES);
  const row = await loadFor(ctx, actor, id);
  if (row.owner_org_id !== actor.organizationId)
    throw forbidden('Only the owner of the record revokes.', 'not_owner');
  if (row.status !== 'disclosed') throw conflict('not_disclosed', `The request is ${row.status}.`);
  if (reason.trim().length < 5) throw invalid('reason', 'required', 'Say why the disclosure is revoked.');
  const now = ctx.clock.now();
  return change(
    ctx,
    actor,
    row,
    { status: 'revoked', revoked_by: actor.userId, revoked_at: now, revoke_reason: reason.trim() },
    'match.disclosure_revoked',
    { reason: reason.trim() },
    ip,
  );
}

/** The requester withdraws a pending request. */
export async function withdrawDisclosure(ctx: AppContext, actor: Actor, id: string, ip?: string) {
  requireMatchRole(actor, MATCH_ACT_ROLES);
  const row = await loadFor(ctx, actor, id);
  if (row.requester_org_id !== actor.organizationId)
    throw forbidden('Only the requester withdraws.', 'not_requester');
  if (row.status !== 'pending') throw conflict('not_pending', `The request is ${row.status}.`);
  return change(ctx, actor, row, { status: 'withdrawn' }, 'match.disclosure_withdrawn', {}, ip);
}
