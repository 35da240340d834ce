import { randomBytes, randomUUID } from 'node:crypto';
import type { Updateable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { AgreementStatus } from '../../domain/vocabulary.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { type Actor, hasRole } from '../../platform/auth/actor.js';
import type { Tx } from '../../platform/db/db.js';
import type { AgreementRow, AgreementsTable, ReviewTrigger } from '../../platform/db/schema.js';
import { emit } from '../../platform/events/outbox.js';
import { conflict, type FieldError, forbidden, invalidMany, notFound } from '../../platform/http/problem.js';
import {
  checkTransition,
  concludesReview,
  EXTENDABLE_STATUSES,
  INCIDENT_STATUSES,
  type ReviewDecision,
  resolvesIncidents,
} from './agreements.lifecycle.js';
import {
  type AgreementAction,
  type AgreementReadScope,
  agreementReadScope,
  decide,
  SYSTEM_SCOPE,
} from './agreements.policy.js';
import { parseTriggers, presentAgreements, presentHistory, statusOf } from './agreements.presenter.js';
import type {
  Agreement,
  AgreementList,
  CreateAgreementBody,
  DeclineBody,
  ExtensionBody,
  History,
  IncidentBody,
  ListQuery,
  ReviewTriggerInput,
  TransitionBody,
  UpdateAgreementBody,
} from './agreements.schema.js';
import {
  consentsOf,
  decideExtension,
  extensionsOf,
  findAgreement,
  historyOf,
  insertAgreement,
  insertConsent,
  insertEvent,
  insertExtension,
  insertIncident,
  lapsePendingExtensions,
  listAgreements,
  orgRefs,
  type PartyRow,
  partiesOf,
  referenceTaken,
  replaceParties,
  resolveOpenIncidents,
  signParty,
  updateAgreement,
} from './agreements.store.js';

// ---------------------------------------------------------------------------------------------
// Reads

/** A page of the agreements the actor may read, filtered in SQL by the actor's read scope. */
export async function listAgreementsFor(ctx: AppContext, actor: Actor, q: ListQuery): Promise<AgreementList> {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const { rows, total } = await listAgreements(ctx.db, agreementReadScope(actor), {
    ...(q.status ? { status: q.status } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.party ? { party: q.party } : {}),
    ...(q.q ? { q: q.q } : {}),
    limit,
    offset,
  });
  const items = await presentAgreements(ctx.db, actor, rows, ctx.clock.now());
  await auditReads(ctx, actor, items, 'list');
  return { items, total, limit, offset };
}

/**
 * Agreements say who shares what with whom: every read that returns one is audited, with the
 * basis (the reader's organization is a party, or a platform administrator reads it).
 */
async function auditReads(
  ctx: AppContext,
  actor: Actor,
  items: { id: string; parties: { organization: { id: string } }[] }[],
  via: 'get' | 'list' | 'history',
): Promise<void> {
  if (items.length === 0) return;
  await appendAudit(
    ctx.db,
    ctx.clock.now(),
    items.map((a) => ({
      action: 'agreement.read',
      actorUserId: actor.userId,
      actorOrgId: actor.organizationId,
      objectType: 'agreement',
      objectId: a.id,
      basis: a.parties.some((p) => p.organization.id === actor.organizationId) ? 'party' : 'platform_admin',
      outcome: 'allow' as const,
      details: { via },
    })),
  );
}

/** One agreement as the actor sees it; 404 when it does not exist or the actor may not read it. */
export async function getAgreement(ctx: AppContext, actor: Actor, id: string): Promise<Agreement> {
  const row = await findAgreement(ctx.db, agreementReadScope(actor), id);
  if (!row) throw notFound('agreement');
  const agreement = await presentOne(ctx, actor, ctx.db, id);
  await auditReads(ctx, actor, [agreement], 'get');
  return agreement;
}

/** The agreement's history, oldest first; 404 for actors who may not read the agreement. */
export async function getAgreementHistory(ctx: AppContext, actor: Actor, id: string): Promise<History> {
  const row = await findAgreement(ctx.db, agreementReadScope(actor), id);
  if (!row) throw notFound('agreement');
  const items = await presentHistory(ctx.db, await historyOf(ctx.db, id));
  const parties = await ctx.db
    .selectFrom('agreement_parties')
    .select('organization_id')
    .where('agreement_id', '=', id)
    .execute();
  await auditReads(
    ctx,
    actor,
    [{ id, parties: parties.map((p) => ({ organization: { id: p.organization_id } })) }],
    'history',
  );
  return { items };
}

async function presentOne(ctx: AppContext, actor: Actor, ex: AppContext['db'] | Tx, id: string) {
  const row = await findAgreement(ex, SYSTEM_SCOPE, id);
  if (!row) throw notFound('agreement');
  const [one] = await presentAgreements(ex, actor, [row], ctx.clock.now());
  if (!one) throw notFound('agreement');
  return one;
}

// ---------------------------------------------------------------------------------------------
// Recording: history row + audit entry + outbox event(s), always in the caller's transaction

interface Change {
  action: string;
  fromStatus?: AgreementStatus | null;
  toStatus?: AgreementStatus | null;
  details: Record<string, unknown>;
}

async function record(
  trx: Tx,
  now: Date,
  actor: Actor | null,
  agreement: AgreementRow,
  partyOrgIds: readonly string[],
  change: Change,
): Promise<void> {
  const fromStatus = change.fromStatus ?? null;
  const toStatus = change.toStatus ?? null;
  const eventId = await insertEvent(trx, {
    agreement_id: agreement.id,
    at: now,
    action: change.action,
    actor_user_id: actor?.userId ?? null,
    actor_org_id: actor?.organizationId ?? null,
    from_status: fromStatus,
    to_status: toStatus,
    details: change.details,
  });
  await appendAudit(trx, now, [
    {
      action: `agreement.${change.action}`,
      actorUserId: actor?.userId ?? null,
      actorOrgId: actor?.organizationId ?? null,
      objectType: 'agreement',
      objectId: agreement.id,
      ownerOrgId: agreement.created_by_org_id,
      outcome: 'success',
      details: { historyId: eventId, fromStatus, toStatus, ...change.details },
    },
  ]);
  const payload = {
    agreementId: agreement.id,
    reference: agreement.reference,
    partyOrgIds: [...partyOrgIds],
    actorUserId: actor?.userId ?? null,
    actorOrgId: actor?.organizationId ?? null,
    fromStatus,
    toStatus,
    details: change.details,
  };
  await emit(trx, now, `agreement.${change.action}`, payload);
  // Access decisions depend on status: subscribers (caches, live streams) listen to one topic.
  if (
    change.action !== 'status_changed' &&
    fromStatus !== null &&
    toStatus !== null &&
    fromStatus !== toStatus
  ) {
    await emit(trx, now, 'agreement.status_changed', payload);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation of terms (create and edit)

interface Terms {
  reference: string;
  title: string;
  kind: string;
  description: string;
  parties: string[];
  crimeAreas: string[];
  dataCategories: string[];
  purposes: string[];
  ceilingTlp: string;
  h2Allowed: boolean;
  onwardTransfer: boolean;
  matchingAllowed: boolean;
  maxRetentionDays: number | null;
  validFrom: Date;
  sunsetAt: Date;
  pilot: { endsAt: Date; successCriteria: string } | null;
  reviewTriggers: ReviewTrigger[];
}

const TRIGGER_NUMBER: Record<ReviewTrigger['kind'], 'months' | 'records' | 'days' | null> = {
  periodic: 'months',
  volume: 'records',
  incident: null,
  sunset: 'days',
};

/** Turns the flat input triggers into the stored union, reporting each missing or stray number by field. */
function normalizeTriggers(input: ReviewTriggerInput[], errors: FieldError[]): ReviewTrigger[] {
  const out: ReviewTrigger[] = [];
  const seen = new Set<string>();
  input.forEach((t, i) => {
    const at = `body.reviewTriggers.${i}`;
    if (seen.has(t.kind)) {
      errors.push({ field: `${at}.kind`, rule: 'unique', message: `Only one ${t.kind} trigger is allowed.` });
    }
    seen.add(t.kind);
    const wanted = TRIGGER_NUMBER[t.kind];
    for (const key of ['months', 'records', 'days'] as const) {
      if (key !== wanted && t[key] !== undefined) {
        errors.push({
          field: `${at}.${key}`,
          rule: 'not_allowed',
          message: `A ${t.kind} trigger has no ${key}.`,
        });
      }
    }
    switch (t.kind) {
      case 'periodic':
        if (t.months === undefined) {
          errors.push({
            field: `${at}.months`,
            rule: 'required',
            message: 'A periodic trigger needs months.',
          });
        } else out.push({ kind: 'periodic', months: t.months });
        break;
      case 'volume':
        if (t.records === undefined) {
          errors.push({
            field: `${at}.records`,
            rule: 'required',
            message: 'A volume trigger needs records.',
          });
        } else out.push({ kind: 'volume', records: t.records });
        break;
      case 'sunset':
        if (t.days === undefined) {
          errors.push({ field: `${at}.days`, rule: 'required', message: 'A sunset trigger needs days.' });
        } else out.push({ kind: 'sunset', days: t.days });
        break;
      case 'incident':
        out.push({ kind: 'incident' });
        break;
    }
  });
  return out;
}

/** Checks the rules that span fields; throws one 400 listing every broken rule by field. */
async function validateTerms(
  trx: Tx,
  actor: Actor,
  t: Terms,
  now: Date,
  errors: FieldError[],
  exceptId?: string,
): Promise<void> {
  if (t.ceilingTlp === 'TLP:RED') {
    errors.push({
      field: 'body.ceiling.tlp',
      rule: 'not_red',
      message: 'TLP:RED never flows under an agreement (named recipients only); choose a lower ceiling.',
    });
  }
  if (t.sunsetAt <= t.validFrom) {
    errors.push({
      field: 'body.sunsetAt',
      rule: 'after_valid_from',
      message: 'The sunset must be after validFrom.',
    });
  } else if (t.sunsetAt <= now) {
    errors.push({ field: 'body.sunsetAt', rule: 'in_future', message: 'The sunset must be in the future.' });
  }
  if (t.pilot) {
    if (t.pilot.endsAt <= t.validFrom) {
      errors.push({
        field: 'body.pilot.endsAt',
        rule: 'after_valid_from',
        message: 'The pilot must end after validFrom.',
      });
    }
    if (t.pilot.endsAt > t.sunsetAt) {
      errors.push({
        field: 'body.pilot.endsAt',
        rule: 'not_after_sunset',
        message: 'The pilot cannot end after the sunset.',
      });
    }
  }
  if (!hasRole(actor, 'platform_admin') && !t.parties.includes(actor.organizationId)) {
    errors.push({
      field: 'body.parties',
      rule: 'includes_own_organization',
      message: 'Your organization must be a party to the agreement.',
    });
  }
  const known = await orgRefs(trx, t.parties);
  const unknown = t.parties.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    errors.push({
      field: 'body.parties',
      rule: 'exists',
      message: `Unknown organizations: ${unknown.join(', ')}.`,
    });
  }
  if (errors.length > 0) throw invalidMany(errors);
  if (await referenceTaken(trx, t.reference, exceptId)) {
    throw conflict('reference_taken', `Another agreement already uses the reference ${t.reference}.`);
  }
}

function termsColumns(t: Terms) {
  return {
    reference: t.reference,
    title: t.title,
    kind: t.kind,
    description: t.description,
    crime_areas: t.crimeAreas,
    data_categories: t.dataCategories,
    purposes: t.purposes,
    ceiling_tlp: t.ceilingTlp,
    ceiling_h2_allowed: t.h2Allowed,
    ceiling_onward_transfer: t.onwardTransfer,
    matching_allowed: t.matchingAllowed,
    max_retention_days: t.maxRetentionDays,
    valid_from: t.validFrom,
    sunset_at: t.sunsetAt,
    pilot_ends_at: t.pilot?.endsAt ?? null,
    pilot_success_criteria: t.pilot?.successCriteria ?? null,
    review_triggers: JSON.stringify(t.reviewTriggers),
  };
}

/** The terms in their API shape, for before/after in the history. */
function termsForHistory(t: Terms): Record<string, unknown> {
  return {
    reference: t.reference,
    title: t.title,
    kind: t.kind,
    description: t.description,
    parties: [...t.parties].sort(),
    scope: { crimeAreas: t.crimeAreas, dataCategories: t.dataCategories, purposes: t.purposes },
    ceiling: { tlp: t.ceilingTlp, h2Allowed: t.h2Allowed, onwardTransfer: t.onwardTransfer },
    matchingAllowed: t.matchingAllowed,
    maxRetentionDays: t.maxRetentionDays,
    validFrom: t.validFrom.toISOString(),
    sunsetAt: t.sunsetAt.toISOString(),
    pilot: t.pilot
      ? { endsAt: t.pilot.endsAt.toISOString(), successCriteria: t.pilot.successCriteria }
      : null,
    reviewTriggers: t.reviewTriggers,
  };
}

function termsOfRow(row: AgreementRow, parties: PartyRow[]): Terms {
  return {
    reference: row.reference,
    title: row.title,
    kind: row.kind,
    description: row.description,
    parties: parties.map((p) => p.organization_id),
    crimeAreas: row.crime_areas,
    dataCategories: row.data_categories,
    purposes: row.purposes,
    ceilingTlp: row.ceiling_tlp,
    h2Allowed: row.ceiling_h2_allowed,
    onwardTransfer: row.ceiling_onward_transfer,
    matchingAllowed: row.matching_allowed,
    maxRetentionDays: row.max_retention_days,
    validFrom: row.valid_from,
    sunsetAt: row.sunset_at,
    pilot:
      row.pilot_ends_at !== null
        ? { endsAt: row.pilot_ends_at, successCriteria: row.pilot_success_criteria ?? '' }
        : null,
    reviewTriggers: parseTriggers(row.review_triggers),
  };
}

function newReference(now: Date): string {
  return `AGR-${now.getUTCFullYear()}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === '23505'
  );
}

// ---------------------------------------------------------------------------------------------
// Writes

interface Locked {
  row: AgreementRow;
  status: AgreementStatus;
  parties: PartyRow[];
  partyOrgIds: string[];
}

/**
 * Locks the agreement for a write and authorizes the action: 404 when the actor may not read
 * it, 403 when they may read it but not do this.
 */
async function lockFor(trx: Tx, actor: Actor, id: string, action: AgreementAction): Promise<Locked> {
  const scope: AgreementReadScope = agreementReadScope(actor);
  const row = await findAgreement(trx, scope, id, { forUpdate: true });
  if (!row) throw notFound('agreement');
  const parties = await partiesOf(trx, [id]);
  const partyOrgIds = parties.map((p) => p.organization_id);
  const status = statusOf(row);
  const decision = decide(actor, action, { status, partyOrgIds });
  if (!decision.allow) {
    throw forbidden(
      decision.reason === 'token_scope'
        ? 'This API token lacks the "agreements:write" scope.'
        : `You may not ${action.replace('_', ' ')} this agreement.`,
    );
  }
  return { row, status, parties, partyOrgIds };
}

/** Creates a draft agreement. The creator's organization must be a party (platform administrators excepted). */
export async function createAgreement(
  ctx: AppContext,
  actor: Actor,
  body: CreateAgreementBody,
): Promise<Agreement> {
  if (!hasRole(actor, 'org_admin', 'platform_admin')) {
    throw forbidden('Only organization administrators create agreements.', 'role_required');
  }
  const now = ctx.clock.now();
  const errors: FieldError[] = [];
  const terms: Terms = {
    reference: body.reference ?? newReference(now),
    title: body.title,
    kind: body.kind,
    description: body.description ?? '',
    parties: body.parties,
    crimeAreas: body.scope.crimeAreas,
    dataCategories: body.scope.dataCategories,
    purposes: body.scope.purposes,
    ceilingTlp: body.ceiling.tlp,
    h2Allowed: body.ceiling.h2Allowed ?? false,
    onwardTransfer: body.ceiling.onwardTransfer ?? false,
    matchingAllowed: body.matchingAllowed ?? false,
    maxRetentionDays: body.maxRetentionDays ?? null,
    validFrom: new Date(body.validFrom),
    sunsetAt: new Date(body.sunsetAt),
    pilot: body.pilot
      ? { endsAt: new Date(body.pilot.endsAt), successCriteria: body.pilot.successCriteria }
      : null,
    reviewTriggers: normalizeTriggers(body.reviewTriggers ?? [], errors),
  };
  const id = randomUUID();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await validateTerms(trx, actor, terms, now, errors);
      await insertAgreement(trx, {
        id,
        ...termsColumns(terms),
        status: 'draft',
        last_reviewed_at: null,
        created_by_org_id: actor.organizationId,
        created_at: now,
        updated_at: now,
      });
      await replaceParties(trx, id, terms.parties);
      const row = await findAgreement(trx, SYSTEM_SCOPE, id);
      if (!row) throw new Error('agreement vanished inside its own transaction');
      await record(trx, now, actor, row, terms.parties, {
        action: 'created',
        toStatus: 'draft',
        details: { terms: termsForHistory(terms) },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw conflict('reference_taken', `Another agreement already uses the reference ${terms.reference}.`);
    }
    throw err;
  }
  return presentOne(ctx, actor, ctx.db, id);
}

/**
 * Changes the terms of a draft. Optimistic locking: `version` must be the current one (409
 * `version_conflict` otherwise). Any change withdraws the signatures already given, since they
 * were given to other terms. The history keeps before/after of each changed field.
 */
export async function updateAgreementTerms(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: UpdateAgreementBody,
): Promise<Agreement> {
  const now = ctx.clock.now();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const { row, status, parties } = await lockFor(trx, actor, id, 'edit');
      if (row.version !== body.version) {
        throw conflict(
          'version_conflict',
          `The agreement is at version ${row.version}, not ${body.version}; reload it.`,
        );
      }
      if (status !== 'draft') throw conflict('invalid_state', 'Only a draft can be edited.');
      const before = termsOfRow(row, parties);
      const errors: FieldError[] = [];
      const after: Terms = {
        ...before,
        ...(body.reference !== undefined ? { reference: body.reference } : {}),
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.kind !== undefined ? { kind: body.kind } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.parties !== undefined ? { parties: body.parties } : {}),
        ...(body.scope !== undefined
          ? {
              crimeAreas: body.scope.crimeAreas,
              dataCategories: body.scope.dataCategories,
              purposes: body.scope.purposes,
            }
          : {}),
        ...(body.ceiling !== undefined
          ? {
              ceilingTlp: body.ceiling.tlp,
              h2Allowed: body.ceiling.h2Allowed ?? false,
              onwardTransfer: body.ceiling.onwardTransfer ?? false,
            }
          : {}),
        ...(body.matchingAllowed !== undefined ? { matchingAllowed: body.matchingAllowed } : {}),
        ...(body.maxRetentionDays !== undefined ? { maxRetentionDays: body.maxRetentionDays } : {}),
        ...(body.validFrom !== undefined ? { validFrom: new Date(body.validFrom) } : {}),
        ...(body.sunsetAt !== undefined ? { sunsetAt: new Date(body.sunsetAt) } : {}),
        ...(body.pilot !== undefined
          ? {
              pilot: body.pilot
                ? { endsAt: new Date(body.pilot.endsAt), successCriteria: body.pilot.successCriteria }
                : null,
            }
          : {}),
        ...(body.reviewTriggers !== undefined
          ? { reviewTriggers: normalizeTriggers(body.reviewTriggers, errors) }
          : {}),
      };
      await validateTerms(trx, actor, after, now, errors, id);
      const b = termsForHistory(before);
      const a = termsForHistory(after);
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const key of Object.keys(a)) {
        if (JSON.stringify(a[key]) !== JSON.stringify(b[key]))
          changes[key] = { before: b[key], after: a[key] };
      }
      if (Object.keys(changes).length === 0) return;
      const signaturesWithdrawn = parties.filter((p) => p.signed_at !== null).map((p) => p.organization_id);
      const patch: Updateable<AgreementsTable> = termsColumns(after);
      await updateAgreement(trx, id, now, patch);
      await replaceParties(trx, id, after.parties);
      await record(trx, now, actor, row, after.parties, {
        action: 'updated',
        details: { changes, ...(signaturesWithdrawn.length > 0 ? { signaturesWithdrawn } : {}) },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict('reference_taken', 'Another agreement already uses this reference.');
    throw err;
  }
  return presentOne(ctx, actor, ctx.db, id);
}

/** Signs a draft for the actor's own organization (each party signs for itself, once). */
export async function signAgreement(ctx: AppContext, actor: Actor, id: string): Promise<Agreement> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const { row, status, parties, partyOrgIds } = await lockFor(trx, actor, id, 'sign');
    if (status !== 'draft') throw conflict('invalid_state', 'Only a draft can be signed.');
    const mine = parties.find((p) => p.organization_id === actor.organizationId);
    if (mine?.signed_at) throw conflict('already_signed', 'Your organization has already signed.');
    await signParty(trx, id, actor.organizationId, actor.userId, now);
    await updateAgreement(trx, id, now, {});
    const allSigned = parties.every(
      (p) => p.signed_at !== null || p.organization_id === actor.organizationId,
    );
    await record(trx, now, actor, row, partyOrgIds, {
      action: 'signed',
      details: { organizationId: actor.organizationId, allSigned },
    });
  });
  return presentOne(ctx, actor, ctx.db, id);
}

/**
 * Moves the agreement to another status, if the lifecycle allows it (409 `invalid_transition`)
 * and its preconditions hold (409 `signatures_missing`, `sunset_passed`, `pilot_not_defined`, …).
 * Leaving `under_review` concludes the review: the review date is set, the volume counter reset
 * and open incidents resolved. Ending the agreement lapses a pending extension.
 */
export async function transitionAgreement(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: TransitionBody,
): Promise<Agreement> {
  const reason = body.reason?.trim() ?? '';
  if ((body.to === 'suspended' || body.to === 'terminated') && reason === '') {
    throw invalidMany([
      { field: 'body.reason', rule: 'required', message: `Give a reason to move to ${body.to}.` },
    ]);
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const { row, status, parties, partyOrgIds } = await lockFor(trx, actor, id, 'transition');
    if (body.version !== undefined && body.version !== row.version) {
      throw conflict(
        'version_conflict',
        `The agreement is at version ${row.version}, not ${body.version}; reload it.`,
      );
    }
    const refusal = checkTransition(
      {
        status,
        sunsetAt: row.sunset_at,
        pilotEndsAt: row.pilot_ends_at,
        pilotSuccessCriteria: row.pilot_success_criteria,
        allSigned: parties.every((p) => p.signed_at !== null),
      },
      body.to,
      now,
    );
    if (refusal) throw conflict(refusal.code, refusal.detail);
    await changeStatus(trx, now, actor, row, partyOrgIds, status, body.to, 'status_changed', {
      ...(reason ? { reason } : {}),
    });
  });
  return presentOne(ctx, actor, ctx.db, id);
}

/** Applies a status change with its side effects and records it. Shared by people and the review job. */
async function changeStatus(
  trx: Tx,
  now: Date,
  actor: Actor | null,
  row: AgreementRow,
  partyOrgIds: readonly string[],
  from: AgreementStatus,
  to: AgreementStatus,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  const patch: Updateable<AgreementsTable> = { status: to };
  if (concludesReview(from, to)) {
    patch.last_reviewed_at = now;
    patch.exchanged_since_review = 0;
  }
  await updateAgreement(trx, row.id, now, patch);
  const extra: Record<string, unknown> = {};
  if (resolvesIncidents(from, to)) {
    const resolved = await resolveOpenIncidents(trx, row.id, now);
    if (resolved.length > 0) extra.resolvedIncidents = resolved;
  }
  if (to === 'terminated' || to === 'expired') {
    const lapsed = await lapsePendingExtensions(trx, row.id, now);
    if (lapsed.length > 0) extra.lapsedExtensions = lapsed;
  }
  await record(trx, now, actor, row, partyOrgIds, {
    action,
    fromStatus: from,
    toStatus: to,
    details: { ...details, ...extra },
  });
}

/**
 * Records a party's report of misuse or a breach and suspends the agreement at once, so flows
 * stop before anyone reviews the report. A suspended agreement stays suspended.
 */
export async function reportIncident(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: IncidentBody,
): Promise<Agreement> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const { row, status, partyOrgIds } = await lockFor(trx, actor, id, 'report_incident');
    if (!INCIDENT_STATUSES.includes(status)) {
      throw conflict('invalid_state', `Incidents cannot be reported on a ${status} agreement.`);
    }
    const incidentId = randomUUID();
    await insertIncident(trx, {
      id: incidentId,
      agreement_id: id,
      reported_by_org_id: actor.organizationId,
      reported_by_user_id: actor.userId,
      description: body.description,
      reported_at: now,
      resolved_at: null,
    });
    await updateAgreement(trx, id, now, { status: 'suspended' });
    await record(trx, now, actor, row, partyOrgIds, {
      action: 'incident_reported',
      fromStatus: status,
      toStatus: 'suspended',
      details: { incidentId, description: body.description, trigger: 'incident' },
    });
  });
  return presentOne(ctx, actor, ctx.db, id);
}

/**
 * A party proposes a new sunset. The proposer's consent is implied; the extension applies when
 * the last party consents. One extension may be pending at a time.
 */
export async function proposeExtension(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: ExtensionBody,
): Promise<Agreement> {
  const now = ctx.clock.now();
  const newSunsetAt = new Date(body.newSunsetAt);
  await ctx.db.transaction().execute(async (trx) => {
    const { row, status, partyOrgIds } = await lockFor(trx, actor, id, 'propose_extension');
    if (!EXTENDABLE_STATUSES.includes(status)) {
      throw conflict('invalid_state', `A ${status} agreement cannot be extended.`);
    }
    if (newSunsetAt <= row.sunset_at) {
      throw invalidMany([
        {
          field: 'body.newSunsetAt',
          rule: 'after_current_sunset',
          message: `The new sunset must be after the current one (${row.sunset_at.toISOString()}).`,
        },
      ]);
    }
    const existing = await extensionsOf(trx, [id]);
    if (existing.some((e) => e.status === 'pending')) {
      throw conflict('extension_pending', 'Another extension is awaiting consent; decide it first.');
    }
    const extensionId = randomUUID();
    await insertExtension(trx, {
      id: extensionId,
      agreement_id: id,
      proposed_by_org_id: actor.organizationId,
      proposed_by_user_id: actor.userId,
      new_sunset_at: newSunsetAt,
      reason: body.reason,
      status: 'pending',
      created_at: now,
      decided_at: null,
    });
    await insertConsent(trx, {
      extension_id: extensionId,
      organization_id: actor.organizationId,
      user_id: actor.userId,
      consented_at: now,
    });
    await updateAgreement(trx, id, now, {});
    await record(trx, now, actor, row, partyOrgIds, {
      action: 'extension_proposed',
      details: {
        extensionId,
        previousSunsetAt: row.sunset_at.toISOString(),
        newSunsetAt: newSunsetAt.toISOString(),
        reason: body.reason,
      },
    });
    await applyIfUnanimous(trx, now, actor, row, partyOrgIds, extensionId, newSunsetAt);
  });
  return presentOne(ctx, actor, ctx.db, id);
}

async function applyIfUnanimous(
  trx: Tx,
  now: Date,
  actor: Actor,
  row: AgreementRow,
  partyOrgIds: readonly string[],
  extensionId: string,
  newSunsetAt: Date,
): Promise<void> {
  const consented = new Set((await consentsOf(trx, [extensionId])).map((c) => c.organization_id));
  if (!partyOrgIds.every((p) => consented.has(p))) return;
  await decideExtension(trx, extensionId, 'applied', now);
  await updateAgreement(trx, row.id, now, { sunset_at: newSunsetAt });
  await record(trx, now, actor, row, partyOrgIds, {
    action: 'extension_applied',
    details: {
      extensionId,
      sunsetAt: { before: row.sunset_at.toISOString(), after: newSunsetAt.toISOString() },
    },
  });
}

async function lockPendingExtension(trx: Tx, agreementId: string, extensionId: string) {
  const ext = (await extensionsOf(trx, [agreementId])).find((e) => e.id === extensionId);
  if (!ext) throw notFound('extension');
  if (ext.status !== 'pending')
    throw conflict('extension_decided', `This extension is already ${ext.status}.`);
  return ext;
}

/** The actor's organization consents to a pending extension; the last consent applies it. */
export async function consentExtension(
  ctx: AppContext,
  actor: Actor,
  id: string,
  extensionId: string,
): Promise<Agreement> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const { row, status, partyOrgIds } = await lockFor(trx, actor, id, 'consent_extension');
    const ext = await lockPendingExtension(trx, id, extensionId);
    if (!EXTENDABLE_STATUSES.includes(status)) {
      throw conflict('invalid_state', `A ${status} agreement cannot be extended.`);
    }
    const given = await consentsOf(trx, [extensionId]);
    if (given.some((c) => c.organization_id === actor.organizationId)) {
      throw conflict('already_consented', 'Your organization has already consented.');
    }
    await insertConsent(trx, {
      extension_id: extensionId,
      organization_id: actor.organizationId,
      user_id: actor.userId,
      consented_at: now,
    });
    await updateAgreement(trx, id, now, {});
    await record(trx, now, actor, row, partyOrgIds, {
      action: 'extension_consented',
      details: { extensionId, organizationId: actor.organizationId },
    });
    await applyIfUnanimous(trx, now, actor, row, partyOrgIds, extensionId, ext.new_sunset_at);
  });
  return presentOne(ctx, actor, ctx.db, id);
}

/** Any party stops a pending extension (the proposer withdraws it the same way). */
export async function declineExtension(
  ctx: AppContext,
  actor: Actor,
  id: string,
  extensionId: string,
  body: DeclineBody,
): Promise<Agreement> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const { row, partyOrgIds } = await lockFor(trx, actor, id, 'decline_extension');
    await lockPendingExtension(trx, id, extensionId);
    await decideExtension(trx, extensionId, 'declined', now);
    await updateAgreement(trx, id, now, {});
    const reason = body.reason?.trim();
    await record(trx, now, actor, row, partyOrgIds, {
      action: 'extension_declined',
      details: { extensionId, organizationId: actor.organizationId, ...(reason ? { reason } : {}) },
    });
  });
  return presentOne(ctx, actor, ctx.db, id);
}

// ---------------------------------------------------------------------------------------------
// System decisions (review job)

/**
 * Applies the review job's decision to one agreement inside `trx`, re-checking it on the locked
 * row first so that two runs (or a run racing a person) never apply it twice. Returns the
 * decision actually applied, or null when none was due any more.
 */
export async function applyReviewDecision(
  trx: Tx,
  now: Date,
  id: string,
  decideNow: (row: AgreementRow) => ReviewDecision | null,
): Promise<ReviewDecision | null> {
  const row = await findAgreement(trx, SYSTEM_SCOPE, id, { forUpdate: true });
  if (!row) return null;
  const decision = decideNow(row);
  if (!decision) return null;
  const partyOrgIds = (await partiesOf(trx, [id])).map((p) => p.organization_id);
  const from = statusOf(row);
  switch (decision.to) {
    case 'expired':
      await changeStatus(trx, now, null, row, partyOrgIds, from, 'expired', 'status_changed', {
        trigger: decision.trigger,
        system: true,
      });
      break;
    case 'under_review':
      await changeStatus(trx, now, null, row, partyOrgIds, from, 'under_review', 'review_triggered', {
        trigger: decision.triggers[0]?.kind,
        triggers: decision.triggers,
        system: true,
      });
      break;
  }
  return decision;
}
