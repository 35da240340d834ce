import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';
import {
  EVALUATION_GRADES,
  type EvaluationScheme,
  RESTRICTED_SUBJECT_CATEGORIES,
  type SubjectCategory,
} from '../../domain/vocabulary.js';
import {
  decideRead,
  loadReadFacts,
  loadReadScope,
  type ReadDecision,
  type ReadFacts,
} from '../../platform/access/governed.js';
import { loadReader } from '../../platform/access/reader.js';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { addDays, addMonths } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/db.js';
import type { FtmProperties, RecordRow, RecordUpdate } from '../../platform/db/schema.js';
import { emit } from '../../platform/events/outbox.js';
import {
  conflict,
  type FieldError,
  forbidden,
  invalidMany,
  notFound,
  Problem,
} from '../../platform/http/problem.js';
import { loadVersions, type VersionAction, withChanges, writeVersion } from './records.history.js';
import {
  dataCategoryFor,
  entityPropertiesOf,
  isPersonSchema,
  normalizeProperties,
  validateProperties,
} from './records.model.js';
import { mayCreateRecords, type RecordAction, recordPermissions } from './records.policy.js';
import type {
  HistoryViewT,
  RecordCreateInput,
  RecordListFilters,
  RecordUpdateInput,
  RecordViewT,
} from './records.schema.js';
import { searchColumnsFor } from './records.search-columns.js';
import {
  listReadableRecords,
  loadRecordForDecision,
  type OrgRefRow,
  orgRefs,
  readableIds,
  recipientIds,
  recordFlows,
} from './records.store.js';

/** Records are kept at most five years unless extended; review is due six months before expiry. */
export const DEFAULT_RETENTION_YEARS = 5;
export const REVIEW_MONTHS_BEFORE_EXPIRY = 6;

/** Request facts that go into the audit entry. */
export interface RequestInfo {
  ip?: string | null;
}

interface HandlingInput {
  tlp: string;
  codes: string[];
  h3Text?: string | null;
}

function checkHandling(h: HandlingInput, errors: FieldError[]): void {
  const hasH3 = h.codes.includes('H3');
  if (hasH3 && !h.h3Text) {
    errors.push({ field: 'handling.h3Text', rule: 'required', message: 'H3 needs the restriction as text' });
  }
  if (!hasH3 && h.h3Text) {
    errors.push({
      field: 'handling.h3Text',
      rule: 'h3_only',
      message: 'text is only given with the H3 code',
    });
  }
}

function checkEvaluation(
  e: { scheme: string; source: string; information: string },
  errors: FieldError[],
): void {
  const grades = EVALUATION_GRADES[e.scheme as EvaluationScheme];
  if (!grades.source.includes(e.source)) {
    errors.push({
      field: 'evaluation.source',
      rule: 'enum',
      message: `for ${e.scheme} must be one of ${grades.source.join(', ')}`,
    });
  }
  if (!grades.information.includes(e.information)) {
    errors.push({
      field: 'evaluation.information',
      rule: 'enum',
      message: `for ${e.scheme} must be one of ${grades.information.join(', ')}`,
    });
  }
}

function checkSubject(schema: string, subject: string | null | undefined, errors: FieldError[]): void {
  if (isPersonSchema(schema) && !subject) {
    errors.push({
      field: 'subjectCategory',
      rule: 'required',
      message: 'records about people need a data-subject category',
    });
  }
  if (!isPersonSchema(schema) && subject) {
    errors.push({
      field: 'subjectCategory',
      rule: 'person_only',
      message: 'only records about people have one',
    });
  }
}

async function checkRecipients(
  db: Executor,
  ownerOrgId: string,
  recipients: string[],
  errors: FieldError[],
): Promise<void> {
  if (recipients.length === 0) return;
  if (recipients.includes(ownerOrgId)) {
    errors.push({
      field: 'recipients',
      rule: 'not_owner',
      message: 'the owner is not a recipient of its own record',
    });
  }
  const found = await orgRefs(db, recipients);
  recipients.forEach((id, i) => {
    if (!found.has(id)) {
      errors.push({ field: `recipients.${i}`, rule: 'exists', message: 'no such organization' });
    }
  });
}

/**
 * Entity-typed properties must name records the writer may read now. A missing and an unreadable
 * record give the same error, so a reference cannot probe for existence. Values already present
 * in the record before (`previous`) are not re-checked: a referenced record that later became
 * unreadable does not block unrelated edits.
 */
async function checkReferences(
  ctx: AppContext,
  actor: Actor,
  schema: string,
  properties: FtmProperties,
  previous: FtmProperties,
  errors: FieldError[],
): Promise<void> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const wanted: { field: string; id: string }[] = [];
  for (const prop of entityPropertiesOf(schema)) {
    const before = new Set(previous[prop] ?? []);
    (properties[prop] ?? []).forEach((raw, i) => {
      const id = raw.trim();
      if (uuid.test(id) && !before.has(id))
        wanted.push({ field: `properties.${prop}.${i}`, id: id.toLowerCase() });
    });
  }
  if (wanted.length === 0) return;
  const now = ctx.clock.now();
  const reader = await loadReader(ctx.db, actor);
  const readable = await readableIds(
    ctx.db,
    await loadReadScope(ctx.db, reader, now),
    wanted.map((w) => w.id),
  );
  for (const w of wanted) {
    if (!readable.has(w.id)) {
      errors.push({
        field: w.field,
        rule: 'ftm_entity_unknown',
        message: 'no record with this id that you may read',
      });
    }
  }
}

/** 410 for a former reader of a retracted record: when and why, no content. */
function retractedTombstone(row: RecordRow): Problem {
  const retractedAt = (row.retracted_at ?? row.updated_at).toISOString();
  return new Problem(410, 'record_retracted', 'Record retracted', 'The owner retracted this record.', [], {
    id: row.id,
    retractedAt,
    reason: row.retracted_reason,
  });
}

/** A record the actor may read now, with the policy engine's decision and the facts behind it. */
export interface ReadableRecord {
  row: RecordRow;
  facts: ReadFacts;
  decision: Extract<ReadDecision, { allow: true }>;
}

/**
 * Decides a read through the policy engine. Unreadable answers 404 whether or not the record
 * exists — except a retracted record to a reader who could read it had it stayed active (the
 * policy decided against the row as active, at now): that reader learns it was retracted (410),
 * so an analysis built on it can be corrected, and gets nothing of its content.
 */
export async function decideRecordRead(
  ctx: AppContext,
  actor: Actor,
  id: string,
  now: Date,
  options: { disclosures?: boolean } = {},
): Promise<ReadableRecord> {
  const row = await loadRecordForDecision(ctx.db, id);
  if (!row) throw notFound('record');
  const reader = await loadReader(ctx.db, actor);
  // Disclosures (matching) open the record view only: history, links and exports stay closed to
  // an organization that was disclosed a record, since they would show more than was disclosed.
  const facts = await loadReadFacts(ctx.db, 'record_recipients', row.id, row.owner_org_id, options);
  const decision = decideRead(reader, row, facts, now);
  if (decision.allow) return { row, facts, decision };
  if (row.status === 'retracted' && decideRead(reader, { ...row, status: 'active' }, facts, now).allow) {
    throw retractedTombstone(row);
  }
  throw notFound('record');
}

/** The fields of a record row a view is built from (search rows carry them too). */
export type RecordViewRow = Pick<
  RecordRow,
  | 'id'
  | 'owner_org_id'
  | 'schema'
  | 'caption'
  | 'properties'
  | 'tlp'
  | 'handling_codes'
  | 'handling_h3_text'
  | 'evaluation_scheme'
  | 'evaluation_source'
  | 'evaluation_information'
  | 'crime_areas'
  | 'purposes'
  | 'data_category'
  | 'subject_category'
  | 'status'
  | 'retracted_reason'
  | 'review_at'
  | 'expires_at'
  | 'external_id'
  | 'created_at'
  | 'updated_at'
  | 'version'
>;

/**
 * A record as `actor` sees it. The owner's external id and permissions are the actor's to see only
 * when its organization owns the record.
 */
export function toView(
  actor: Actor,
  row: RecordViewRow,
  owner: OrgRefRow | undefined,
  recipients: OrgRefRow[],
  access: { basis: string; ref: string | null },
): RecordViewT {
  return {
    id: row.id,
    schema: row.schema,
    caption: row.caption,
    properties: row.properties,
    owner: owner ?? { id: row.owner_org_id, slug: '', name: '', kind: '' },
    handling: { tlp: row.tlp, codes: row.handling_codes, h3Text: row.handling_h3_text },
    evaluation: {
      scheme: row.evaluation_scheme,
      source: row.evaluation_source,
      information: row.evaluation_information,
    },
    crimeAreas: row.crime_areas,
    purposes: row.purposes,
    dataCategory: row.data_category,
    subjectCategory: row.subject_category,
    status: row.status,
    retractedReason: row.retracted_reason,
    reviewAt: row.review_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    externalId: row.owner_org_id === actor.organizationId ? row.external_id : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
    recipients,
    access,
    permissions: recordPermissions(actor, row),
  };
}

/** The audit entry of a read that returned a record's content. */
export function readAudit(
  actor: Actor,
  row: Pick<RecordRow, 'id' | 'owner_org_id' | 'tlp'>,
  basis: string,
  ref: string | null,
  via: string,
  ip?: string | null,
): AuditEntry {
  return {
    action: 'record.read',
    actorUserId: actor.userId,
    actorOrgId: actor.organizationId,
    objectType: 'record',
    objectId: row.id,
    ownerOrgId: row.owner_org_id,
    basis,
    basisRef: ref,
    outcome: 'allow',
    ip: ip ?? null,
    details: { via, tlp: row.tlp },
  };
}

/**
 * Reads one record through the policy engine: 404 when the actor may not read it (whether or
 * not it exists), otherwise the record with the basis of access. The read is audited.
 */
export async function getRecord(
  ctx: AppContext,
  actor: Actor,
  id: string,
  req: RequestInfo = {},
): Promise<RecordViewT> {
  const now = ctx.clock.now();
  const { row, facts, decision } = await decideRecordRead(ctx, actor, id, now, { disclosures: true });
  const isOwner = row.owner_org_id === actor.organizationId;
  const refs = await orgRefs(ctx.db, [row.owner_org_id, ...(isOwner ? facts.recipients : [])]);
  await ctx.db.transaction().execute(async (trx) => {
    await appendAudit(trx, now, [readAudit(actor, row, decision.basis, decision.ref, 'get', req.ip)]);
    if (decision.basis === 'agreement' && decision.ref) {
      await recordFlows(trx, now, [
        { recordId: row.id, orgId: actor.organizationId, agreementId: decision.ref },
      ]);
    }
  });
  const recipients = isOwner
    ? facts.recipients.map((r) => refs.get(r)).filter((r): r is OrgRefRow => !!r)
    : [];
  return toView(actor, disclosedPart(row, decision.properties), refs.get(row.owner_org_id), recipients, {
    basis: decision.basis,
    ref: decision.ref,
  });
}

/**
 * What of a record a partial disclosure shows: the disclosed properties only, and a caption only
 * when the property it comes from was disclosed. `properties` undefined or null: the whole row.
 */
export function disclosedPart<T extends Pick<RecordRow, 'properties' | 'caption'>>(
  row: T,
  properties: string[] | null | undefined,
): T {
  if (properties === undefined || properties === null) return row;
  const kept: Record<string, string[]> = {};
  for (const p of properties) {
    const values = row.properties[p];
    if (values) kept[p] = values;
  }
  const captionShown = Object.values(kept).some((values) => values.includes(row.caption));
  return { ...row, properties: kept, caption: captionShown ? row.caption : '' };
}

/** Lists the records the actor may read (filtered in SQL by the policy engine); each returned record is audited. */
export async function listRecords(
  ctx: AppContext,
  actor: Actor,
  filters: RecordListFilters,
  req: RequestInfo = {},
): Promise<{ items: RecordViewT[]; total: number; limit: number; offset: number }> {
  const now = ctx.clock.now();
  const reader = await loadReader(ctx.db, actor);
  const { rows, total } = await listReadableRecords(
    ctx.db,
    await loadReadScope(ctx.db, reader, now),
    filters,
  );
  const refs = await orgRefs(
    ctx.db,
    rows.map((r) => r.owner_org_id),
  );
  if (rows.length > 0) {
    await ctx.db.transaction().execute(async (trx) => {
      await appendAudit(
        trx,
        now,
        rows.map((r) => readAudit(actor, r, r.access_basis, r.access_ref, 'list', req.ip)),
      );
      await recordFlows(
        trx,
        now,
        rows
          .filter((r) => r.access_basis === 'agreement' && r.access_ref)
          .map((r) => ({ recordId: r.id, orgId: actor.organizationId, agreementId: r.access_ref as string })),
      );
    });
  }
  return {
    items: rows.map((r) =>
      toView(actor, r, refs.get(r.owner_org_id), [], { basis: r.access_basis, ref: r.access_ref }),
    ),
    total,
    limit: filters.limit ?? 50,
    offset: filters.offset ?? 0,
  };
}

/**
 * Creates a record owned by the actor's organization. Validates the FollowTheMoney schema and
 * properties, handling, evaluation and subject category; sets review and expiry dates (five
 * years by default); writes the record, its recipients, the audit entry and the event together.
 */
export async function createRecord(
  ctx: AppContext,
  actor: Actor,
  input: RecordCreateInput,
  req: RequestInfo = {},
): Promise<RecordViewT> {
  if (!mayCreateRecords(actor)) throw forbidden('Your roles do not allow creating records.');
  const now = ctx.clock.now();
  const errors = validateProperties(input.schema, input.properties);
  checkHandling(input.handling, errors);
  checkEvaluation(input.evaluation, errors);
  checkSubject(input.schema, input.subjectCategory, errors);
  const recipients = input.recipients ?? [];
  await checkRecipients(ctx.db, actor.organizationId, recipients, errors);
  if (errors.length === 0) await checkReferences(ctx, actor, input.schema, input.properties, {}, errors);
  const maxExpiry = addMonths(now, DEFAULT_RETENTION_YEARS * 12);
  let expiresAt = maxExpiry;
  if (input.expiresAt) {
    expiresAt = new Date(input.expiresAt);
    if (expiresAt <= now) {
      errors.push({ field: 'expiresAt', rule: 'future', message: 'must be in the future' });
    } else if (expiresAt > maxExpiry) {
      errors.push({
        field: 'expiresAt',
        rule: 'max_retention',
        message: 'records are kept at most five years',
      });
    }
  }
  if (errors.length > 0) throw invalidMany(errors);
  const properties = normalizeProperties(input.schema, input.properties);
  const reviewAt = addMonths(expiresAt, -REVIEW_MONTHS_BEFORE_EXPIRY);
  const id = randomUUID();
  const row = await ctx.db.transaction().execute(async (trx) => {
    if (input.externalId) {
      const existing = await trx
        .selectFrom('records')
        .select('id')
        .where('owner_org_id', '=', actor.organizationId)
        .where('external_id', '=', input.externalId)
        .executeTakeFirst();
      if (existing)
        throw conflict('duplicate_external_id', `Record ${existing.id} already has this external id.`);
    }
    const inserted = await trx
      .insertInto('records')
      .values({
        id,
        owner_org_id: actor.organizationId,
        schema: input.schema,
        ...searchColumnsFor(input.schema, properties),
        properties: JSON.stringify(properties),
        tlp: input.handling.tlp,
        handling_codes: input.handling.codes,
        handling_h3_text: input.handling.h3Text ?? null,
        evaluation_scheme: input.evaluation.scheme,
        evaluation_source: input.evaluation.source,
        evaluation_information: input.evaluation.information,
        crime_areas: input.crimeAreas,
        purposes: input.purposes,
        data_category: dataCategoryFor(input.schema),
        subject_category: input.subjectCategory ?? null,
        status: 'active',
        retracted_reason: null,
        review_at: reviewAt < now ? addDays(now, 1) : reviewAt,
        expires_at: expiresAt,
        external_id: input.externalId ?? null,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeVersion(trx, inserted, now, 'created', { userId: actor.userId, orgId: actor.organizationId });
    if (recipients.length > 0) {
      await trx
        .insertInto('record_recipients')
        .values(
          recipients.map((org) => ({
            record_id: id,
            organization_id: org,
            added_at: now,
            added_by: actor.userId,
          })),
        )
        .execute();
    }
    await appendAudit(trx, now, [
      {
        action: 'record.created',
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'record',
        objectId: id,
        ownerOrgId: actor.organizationId,
        basis: 'owner',
        outcome: 'success',
        ip: req.ip ?? null,
        details: { schema: input.schema, tlp: input.handling.tlp, recipients },
      },
    ]);
    await emit(trx, now, 'record.created', {
      recordId: id,
      ownerOrgId: actor.organizationId,
      schema: input.schema,
    });
    return inserted;
  });
  const refs = await orgRefs(ctx.db, [actor.organizationId, ...recipients]);
  return toView(
    actor,
    row,
    refs.get(actor.organizationId),
    recipients.map((r) => refs.get(r)).filter((r): r is OrgRefRow => !!r),
    { basis: 'owner', ref: null },
  );
}

/**
 * Loads a record for a write: 404 when unreadable (410 for a former reader of a retracted one), 403
 * when readable but not the actor's to change.
 */
export async function loadForWrite(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: RecordAction,
): Promise<RecordRow> {
  const { row } = await decideRecordRead(ctx, actor, id, ctx.clock.now());
  if (!recordPermissions(actor, row).includes(action)) {
    throw forbidden(
      row.owner_org_id !== actor.organizationId
        ? 'Only the owning organization may change this record.'
        : row.status !== 'active'
          ? `The record is ${row.status}.`
          : 'Your roles do not allow changing records.',
    );
  }
  return row;
}

/** Updates the owner's record: a new version; the audit entry names the changed fields. */
export async function updateRecord(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: RecordUpdateInput,
  req: RequestInfo = {},
): Promise<RecordViewT> {
  const current = await loadForWrite(ctx, actor, id, 'update');
  if (input.version !== undefined && input.version !== current.version) {
    throw conflict(
      'version_conflict',
      `The record changed since version ${input.version}; it is now ${current.version}.`,
    );
  }
  const now = ctx.clock.now();
  const errors: FieldError[] = [];
  const properties: FtmProperties = input.properties ?? current.properties;
  if (input.properties) errors.push(...validateProperties(current.schema, input.properties));
  if (input.handling) checkHandling(input.handling, errors);
  if (input.evaluation) checkEvaluation(input.evaluation, errors);
  const subject = input.subjectCategory !== undefined ? input.subjectCategory : current.subject_category;
  checkSubject(current.schema, subject, errors);
  if (input.recipients) await checkRecipients(ctx.db, actor.organizationId, input.recipients, errors);
  if (input.properties && errors.length === 0) {
    await checkReferences(ctx, actor, current.schema, input.properties, current.properties, errors);
  }
  if (errors.length > 0) throw invalidMany(errors);
  const changed = Object.keys(input).filter((k) => k !== 'version');
  const normalized = normalizeProperties(current.schema, properties);
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('records')
      .set({
        properties: JSON.stringify(normalized),
        ...searchColumnsFor(current.schema, normalized),
        tlp: input.handling?.tlp ?? current.tlp,
        handling_codes: input.handling?.codes ?? current.handling_codes,
        handling_h3_text: input.handling ? (input.handling.h3Text ?? null) : current.handling_h3_text,
        evaluation_scheme: input.evaluation?.scheme ?? current.evaluation_scheme,
        evaluation_source: input.evaluation?.source ?? current.evaluation_source,
        evaluation_information: input.evaluation?.information ?? current.evaluation_information,
        crime_areas: input.crimeAreas ?? current.crime_areas,
        purposes: input.purposes ?? current.purposes,
        subject_category: subject ?? null,
        version: current.version + 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw conflict('version_conflict', 'The record changed meanwhile; reload it.');
    await writeVersion(trx, updated, now, 'updated', { userId: actor.userId, orgId: actor.organizationId });
    if (input.recipients) {
      await trx.deleteFrom('record_recipients').where('record_id', '=', id).execute();
      if (input.recipients.length > 0) {
        await trx
          .insertInto('record_recipients')
          .values(
            input.recipients.map((org) => ({
              record_id: id,
              organization_id: org,
              added_at: now,
              added_by: actor.userId,
            })),
          )
          .execute();
      }
    }
    await appendAudit(trx, now, [
      {
        action: 'record.updated',
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'record',
        objectId: id,
        ownerOrgId: current.owner_org_id,
        basis: 'owner',
        outcome: 'success',
        ip: req.ip ?? null,
        details: { changed, version: current.version + 1 },
      },
    ]);
    await emit(trx, now, 'record.updated', { recordId: id, ownerOrgId: current.owner_org_id, changed });
  });
  return getRecordAsOwner(ctx, actor, id);
}

/** Retracts the owner's record with a reason; other organizations lose it at once. */
export async function retractRecord(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
  req: RequestInfo = {},
): Promise<RecordViewT> {
  const current = await loadForWrite(ctx, actor, id, 'retract');
  const now = ctx.clock.now();
  await commitOwnerChange(
    ctx,
    actor,
    current,
    {
      set: { status: 'retracted', retracted_reason: reason, retracted_at: now },
      version: 'retracted',
      action: 'record.retracted',
      details: { reason },
    },
    req,
  );
  return getRecordAsOwner(ctx, actor, id);
}

/** One owner change to a record: what to set, what the version, audit entry and event say. */
export interface OwnerChange {
  set: RecordUpdate;
  version: VersionAction;
  /** Audit action and event topic, e.g. `record.extended`. */
  action: string;
  details: Record<string, unknown>;
  /** Extra fields of the event beyond the record and owner ids. */
  event?: Record<string, unknown>;
}

/**
 * Applies an owner's change as a new version, in one transaction: the update (only if the record
 * is still at the version the change was decided on, else 409), the version row, the audit entry
 * and the outbox event.
 */
export async function commitOwnerChange(
  ctx: AppContext,
  actor: Actor,
  current: RecordRow,
  change: OwnerChange,
  req: RequestInfo = {},
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('records')
      .set({ ...change.set, version: current.version + 1, updated_at: now })
      .where('id', '=', current.id)
      .where('version', '=', current.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict('version_conflict', 'The record changed meanwhile; reload it.');
    await writeVersion(trx, row, now, change.version, { userId: actor.userId, orgId: actor.organizationId });
    await appendAudit(trx, now, [
      {
        action: change.action,
        actorUserId: actor.userId,
        actorOrgId: actor.organizationId,
        objectType: 'record',
        objectId: current.id,
        ownerOrgId: current.owner_org_id,
        basis: 'owner',
        outcome: 'success',
        ip: req.ip ?? null,
        details: change.details,
      },
    ]);
    await emit(trx, now, change.action, {
      recordId: current.id,
      ownerOrgId: current.owner_org_id,
      ...change.event,
    });
  });
}

/** The owner's view after a write (the write itself is audited; this read is part of it). */
export async function getRecordAsOwner(ctx: AppContext, actor: Actor, id: string): Promise<RecordViewT> {
  const row = await loadRecordForDecision(ctx.db, id);
  if (!row || row.owner_org_id !== actor.organizationId) throw notFound('record');
  const recipients = await recipientIds(ctx.db, id);
  const refs = await orgRefs(ctx.db, [row.owner_org_id, ...recipients]);
  return toView(
    actor,
    row,
    refs.get(row.owner_org_id),
    recipients.map((r) => refs.get(r)).filter((r): r is OrgRefRow => !!r),
    { basis: 'owner', ref: null },
  );
}

/** True when victim/witness/informant data: it flows only to named recipients. */
export function isRestrictedSubject(subject: string | null): boolean {
  return subject !== null && RESTRICTED_SUBJECT_CATEGORIES.includes(subject as SubjectCategory);
}

/**
 * A record's versions, newest first, with the fields each changed, for anyone who may read the
 * record now (410 for a former reader of a retracted one, 404 otherwise). Other organizations do
 * not see the owner's external id nor which of the owner's users made a change. The read is audited.
 */
export async function getHistory(
  ctx: AppContext,
  actor: Actor,
  id: string,
  req: RequestInfo = {},
): Promise<HistoryViewT> {
  const now = ctx.clock.now();
  const { row, decision } = await decideRecordRead(ctx, actor, id, now);
  const isOwner = row.owner_org_id === actor.organizationId;
  const versions = withChanges(await loadVersions(ctx.db, id), (field) => !isOwner && field === 'externalId');
  const userIds = [...new Set(versions.map((v) => v.actor_user_id).filter((u): u is string => !!u))];
  const users = new Map(
    userIds.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('users')
            .select(['id', 'display_name', 'organization_id'])
            .where('id', 'in', userIds)
            .execute()
        ).map((u) => [u.id, u]),
  );
  const orgs = await orgRefs(
    ctx.db,
    versions.map((v) => v.actor_org_id).filter((o): o is string => !!o),
  );
  await ctx.db.transaction().execute(async (trx) => {
    await appendAudit(trx, now, [
      {
        ...readAudit(actor, row, decision.basis, decision.ref, 'history', req.ip),
        action: 'record.history_read',
      },
    ]);
  });
  return {
    items: versions.map((v) => {
      const user = v.actor_user_id ? users.get(v.actor_user_id) : undefined;
      const org = v.actor_org_id ? orgs.get(v.actor_org_id) : undefined;
      return {
        version: v.version,
        at: v.at.toISOString(),
        action: v.action,
        actor: {
          // People are named to their own organization only; others see which organization acted.
          user:
            user && user.organization_id === actor.organizationId
              ? { id: user.id, displayName: user.display_name }
              : null,
          organization: org ?? null,
        },
        changes: v.changes,
      };
    }),
  };
}
