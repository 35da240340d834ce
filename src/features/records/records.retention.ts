import type { AppContext } from '../../context.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { addDays, addMonths } from '../../platform/clock.js';
import type { RecordRow } from '../../platform/db/schema.js';
import { emit } from '../../platform/events/outbox.js';
import { invalid } from '../../platform/http/problem.js';
import { writeVersion } from './records.history.js';
import type { RecordViewT } from './records.schema.js';
import { purgedSearchColumns } from './records.search-columns.js';
import {
  commitOwnerChange,
  DEFAULT_RETENTION_YEARS,
  getRecordAsOwner,
  loadForWrite,
  REVIEW_MONTHS_BEFORE_EXPIRY,
  type RequestInfo,
} from './records.service.js';

/** Records per step and run: a backlog is worked off over several runs instead of one long transaction. */
const BATCH = 200;

/**
 * The next review date after a confirmation at `now`: not sooner than six months from now (nor
 * sooner than six months before expiry), and always before the expiry.
 */
export function nextReviewAt(now: Date, expiresAt: Date): Date {
  const wanted = Math.max(
    addMonths(now, REVIEW_MONTHS_BEFORE_EXPIRY).getTime(),
    addMonths(expiresAt, -REVIEW_MONTHS_BEFORE_EXPIRY).getTime(),
  );
  const cap = addDays(expiresAt, -1).getTime();
  return new Date(Math.max(Math.min(wanted, cap), now.getTime()));
}

interface FlowLimit {
  reference: string;
  limit: Date;
}

/** The retention limits of the agreements the record flowed under: first read + max_retention_days. */
async function agreementLimits(ctx: AppContext, recordId: string): Promise<FlowLimit[]> {
  const rows = await ctx.db
    .selectFrom('record_flows as f')
    .innerJoin('agreements as a', 'a.id', 'f.agreement_id')
    .select(['a.reference', 'a.max_retention_days', 'f.first_read_at'])
    .where('f.record_id', '=', recordId)
    .where('a.max_retention_days', 'is not', null)
    .execute();
  return rows
    .map((r) => ({ reference: r.reference, limit: addDays(r.first_read_at, r.max_retention_days ?? 0) }))
    .sort((x, y) => x.limit.getTime() - y.limit.getTime());
}

/**
 * Extends the owner's record to `expiresAt` (reason required). The new expiry is after the current
 * one, at most five years from now, and within every agreement's maximum retention counted from
 * when the record first reached a party under it. A new version, the audit entry and the event are
 * written together; the review date moves with the expiry.
 */
export async function extendRecord(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { expiresAt: string; reason: string },
  req: RequestInfo = {},
): Promise<RecordViewT> {
  const current = await loadForWrite(ctx, actor, id, 'extend');
  const now = ctx.clock.now();
  const expiresAt = new Date(input.expiresAt);
  if (expiresAt <= current.expires_at) {
    throw invalid(
      'expiresAt',
      'after_current',
      `must be after the current expiry ${current.expires_at.toISOString()}`,
    );
  }
  if (expiresAt > addMonths(now, DEFAULT_RETENTION_YEARS * 12)) {
    throw invalid('expiresAt', 'max_retention', 'records are kept at most five years from now');
  }
  const tightest = (await agreementLimits(ctx, id)).find((l) => expiresAt > l.limit);
  if (tightest) {
    throw invalid(
      'expiresAt',
      'agreement_max_retention',
      `agreement ${tightest.reference} allows keeping this record until ${tightest.limit.toISOString()}`,
    );
  }
  await commitOwnerChange(
    ctx,
    actor,
    current,
    {
      set: { expires_at: expiresAt, review_at: nextReviewAt(now, expiresAt) },
      version: 'extended',
      action: 'record.extended',
      details: { from: current.expires_at.toISOString(), to: expiresAt.toISOString(), reason: input.reason },
      event: { expiresAt: expiresAt.toISOString() },
    },
    req,
  );
  return getRecordAsOwner(ctx, actor, id);
}

/**
 * The owner confirms the record is still needed: the review date moves to `nextReviewAt`, a new
 * version, the audit entry (with the note) and the event are written together.
 */
export async function reviewRecord(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { note?: string },
  req: RequestInfo = {},
): Promise<RecordViewT> {
  const current = await loadForWrite(ctx, actor, id, 'review');
  const now = ctx.clock.now();
  const reviewAt = nextReviewAt(now, current.expires_at);
  await commitOwnerChange(
    ctx,
    actor,
    current,
    {
      set: { review_at: reviewAt, reviewed_at: now },
      version: 'reviewed',
      action: 'record.reviewed',
      details: { note: input.note ?? null, reviewAt: reviewAt.toISOString() },
      event: { reviewAt: reviewAt.toISOString() },
    },
    req,
  );
  return getRecordAsOwner(ctx, actor, id);
}

export interface RetentionResult {
  reminded: number;
  expired: number;
  purged: number;
}

const SYSTEM = { userId: null, orgId: null };

/**
 * One pass of retention, idempotent and safe to run concurrently: (a) a `record.review_due` event
 * and audit entry once per record and review date; (b) active records past `expires_at` become
 * `expired` (access already ended at that instant; this shows it to the owner); (c) expired or
 * retracted records past the purge grace lose their content and their versions' snapshots, keeping
 * the row, the version rows (action and date) and an audited tombstone. Every change is its own
 * transaction guarded by the state it read, so a record is never processed twice. `only` limits
 * the pass to those record ids (tests share a database).
 */
export async function runRetention(
  ctx: AppContext,
  opts: { only?: string[] } = {},
): Promise<RetentionResult> {
  const result: RetentionResult = { reminded: 0, expired: 0, purged: 0 };
  if (opts.only && opts.only.length === 0) return result;
  const now = ctx.clock.now();

  // (a) Review reminders.
  let due = ctx.db
    .selectFrom('records')
    .selectAll()
    .where('status', '=', 'active')
    .where('review_at', '<=', now)
    .where('expires_at', '>', now)
    .where((eb) =>
      eb.or([eb('review_reminded_for', 'is', null), eb('review_reminded_for', '<>', eb.ref('review_at'))]),
    );
  if (opts.only) due = due.where('id', 'in', opts.only);
  for (const row of await due.orderBy('review_at').limit(BATCH).execute()) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('records')
        .set({ review_reminded_for: row.review_at })
        .where('id', '=', row.id)
        .where('status', '=', 'active')
        .where('review_at', '=', row.review_at)
        .where((eb) =>
          eb.or([eb('review_reminded_for', 'is', null), eb('review_reminded_for', '<>', row.review_at)]),
        )
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      await appendAudit(trx, now, [
        {
          action: 'record.review_due',
          objectType: 'record',
          objectId: row.id,
          ownerOrgId: row.owner_org_id,
          outcome: 'success',
          details: { reviewAt: row.review_at.toISOString(), expiresAt: row.expires_at.toISOString() },
        },
      ]);
      await emit(trx, now, 'record.review_due', {
        recordId: row.id,
        ownerOrgId: row.owner_org_id,
        reviewAt: row.review_at.toISOString(),
        expiresAt: row.expires_at.toISOString(),
      });
      return true;
    });
    if (done) result.reminded += 1;
  }

  // (b) Expiry.
  let expiring = ctx.db
    .selectFrom('records')
    .selectAll()
    .where('status', '=', 'active')
    .where('expires_at', '<=', now);
  if (opts.only) expiring = expiring.where('id', 'in', opts.only);
  for (const row of await expiring.orderBy('expires_at').limit(BATCH).execute()) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const expired = await trx
        .updateTable('records')
        .set({ status: 'expired', version: row.version + 1, updated_at: now })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .where('status', '=', 'active')
        .returningAll()
        .executeTakeFirst();
      if (!expired) return false;
      await writeVersion(trx, expired, now, 'expired', SYSTEM);
      await appendAudit(trx, now, [
        {
          action: 'record.expired',
          objectType: 'record',
          objectId: row.id,
          ownerOrgId: row.owner_org_id,
          outcome: 'success',
          details: { expiresAt: row.expires_at.toISOString() },
        },
      ]);
      await emit(trx, now, 'record.expired', { recordId: row.id, ownerOrgId: row.owner_org_id });
      return true;
    });
    if (done) result.expired += 1;
  }

  // (c) Purge after the grace period.
  const cutoff = addDays(now, -ctx.config.purgeGraceDays);
  let purgeable = ctx.db
    .selectFrom('records')
    .selectAll()
    .where('purged_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'expired'), eb('expires_at', '<=', cutoff)]),
        eb.and([
          eb('status', '=', 'retracted'),
          eb(eb.fn.coalesce('retracted_at', 'updated_at'), '<=', cutoff),
        ]),
      ]),
    );
  if (opts.only) purgeable = purgeable.where('id', 'in', opts.only);
  for (const row of await purgeable.orderBy('updated_at').limit(BATCH).execute()) {
    if (await purgeOne(ctx, row, now)) result.purged += 1;
  }
  return result;
}

async function purgeOne(ctx: AppContext, row: RecordRow, now: Date): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const purged = await trx
      .updateTable('records')
      .set({
        properties: JSON.stringify({}),
        ...purgedSearchColumns('[purged]'),
        external_id: null,
        purged_at: now,
        version: row.version + 1,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .where('purged_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!purged) return false;
    await writeVersion(trx, purged, now, 'purged', SYSTEM);
    // The history keeps what happened and when, never what the record said.
    const erased = await trx
      .updateTable('record_versions')
      .set({ snapshot: JSON.stringify({}) })
      .where('record_id', '=', row.id)
      .executeTakeFirst();
    await appendAudit(trx, now, [
      {
        action: 'record.purged',
        objectType: 'record',
        objectId: row.id,
        ownerOrgId: row.owner_org_id,
        outcome: 'success',
        details: {
          status: row.status,
          schema: row.schema,
          expiresAt: row.expires_at.toISOString(),
          retractedAt: row.status === 'retracted' ? (row.retracted_at ?? row.updated_at).toISOString() : null,
          versionsErased: Number(erased.numUpdatedRows),
        },
      },
    ]);
    await emit(trx, now, 'record.purged', { recordId: row.id, ownerOrgId: row.owner_org_id });
    return true;
  });
}
