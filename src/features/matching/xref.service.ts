import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { conflict, notFound } from '../../platform/http/problem.js';
import { type OrgRefRow, orgRefs } from '../records/records.store.js';
import type { EncodedEntity } from './blind.js';
import {
  DEFAULT_ENGINE,
  type EngineOptions,
  lockMatching,
  matchingPartners,
  roundScore,
  searchEncoded,
  writeHits,
} from './matching.engine.js';
import { activeEncoder } from './matching.keys.js';
import { MATCH_ACT_ROLES, MATCH_READ_ROLES, type RecordRef, requireMatchRole } from './matching.service.js';
import type { MatchXrefJobRow } from './matching.store.js';

/*
 * Batch cross-referencing: every indexed record of an organization (or of one of its imports)
 * matched again against every organization it may match with now (new agreements, a changed
 * threshold), optionally also against its own records (duplicates). Hits with other
 * organizations are written like the queue's (both owners told); the job keeps a results table.
 */

const BATCH = 500;

export interface XrefJobView {
  id: string;
  status: string;
  total: number;
  processed: number;
  results: number;
  cappedKeys: number;
  includeOwn: boolean;
  importJobId: string | null;
  failure: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function view(r: MatchXrefJobRow): XrefJobView {
  return {
    id: r.id,
    status: r.status,
    total: r.total,
    processed: r.processed,
    results: r.results,
    cappedKeys: r.capped_keys,
    includeOwn: r.include_own,
    importJobId: r.import_job_id,
    failure: r.failure,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at ? r.started_at.toISOString() : null,
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  };
}

const running = new Map<string, Promise<void>>();

/** Resolves when the job has finished in this process. */
export async function waitForXref(id: string): Promise<void> {
  await running.get(id);
}

export async function createXrefJob(
  ctx: AppContext,
  actor: Actor,
  input: { importJobId?: string; includeOwn?: boolean },
  options: EngineOptions = DEFAULT_ENGINE,
): Promise<XrefJobView> {
  requireMatchRole(actor, MATCH_ACT_ROLES);
  if (input.importJobId) {
    const job = await ctx.db
      .selectFrom('import_jobs')
      .select(['status'])
      .where('id', '=', input.importJobId)
      .where('owner_org_id', '=', actor.organizationId)
      .executeTakeFirst();
    if (!job) throw notFound('import');
    if (job.status === 'queued' || job.status === 'running')
      throw conflict('import_running', 'Wait for the import to finish, then cross-reference it.');
  }
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db
    .insertInto('match_xref_jobs')
    .values({
      id,
      organization_id: actor.organizationId,
      user_id: actor.userId,
      import_job_id: input.importJobId ?? null,
      include_own: input.includeOwn ?? false,
      status: 'queued',
      failure: null,
      created_at: now,
      started_at: null,
      finished_at: null,
      heartbeat_at: new Date(),
    })
    .execute();
  await appendAudit(ctx.db, now, [
    {
      action: 'match.xref_started',
      actorUserId: actor.userId,
      actorOrgId: actor.organizationId,
      objectType: 'match_xref',
      objectId: id,
      ownerOrgId: actor.organizationId,
      outcome: 'success',
      details: { importJobId: input.importJobId ?? null, includeOwn: input.includeOwn ?? false },
    },
  ]);
  const p = runXrefJob(ctx, id, options).finally(() => running.delete(id));
  running.set(id, p);
  const row = await ctx.db
    .selectFrom('match_xref_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return view(row);
}

/** The records a job covers: the organization's indexed records, or those an import created or updated. */
async function recordsOf(ctx: AppContext, job: MatchXrefJobRow): Promise<string[]> {
  if (job.import_job_id) {
    const rows = await sql<{ id: string }>`
      SELECT DISTINCT x.id FROM audit_log a,
        LATERAL jsonb_array_elements_text(coalesce(a.details->'createdIds', '[]'::jsonb) || coalesce(a.details->'updatedIds', '[]'::jsonb)) AS x(id)
      WHERE a.action = 'records.imported' AND a.object_id = ${job.import_job_id} AND a.owner_org_id = ${job.organization_id}
    `.execute(ctx.db);
    return rows.rows.map((r) => r.id).sort();
  }
  const rows = await ctx.db
    .selectFrom('match_entities')
    .select('record_id')
    .where('organization_id', '=', job.organization_id)
    .orderBy('record_id')
    .execute();
  return rows.map((r) => r.record_id);
}

/** Runs a queued job to the end, batch by batch, keeping its progress current. */
export async function runXrefJob(
  ctx: AppContext,
  id: string,
  options: EngineOptions = DEFAULT_ENGINE,
): Promise<void> {
  const job = await ctx.db
    .updateTable('match_xref_jobs')
    .set({ status: 'running', started_at: ctx.clock.now(), heartbeat_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  if (!job) return;
  try {
    const ids = await recordsOf(ctx, job);
    await ctx.db.updateTable('match_xref_jobs').set({ total: ids.length }).where('id', '=', id).execute();
    const encoder = await activeEncoder(ctx);
    let seq = 0;
    let processed = 0;
    let results = 0;
    let capped = 0;
    for (let start = 0; start < ids.length; start += BATCH) {
      const slice = ids.slice(start, start + BATCH);
      await ctx.db.transaction().execute(async (trx) => {
        await lockMatching(trx);
        const now = ctx.clock.now();
        const partners = await matchingPartners(trx, job.organization_id, now);
        const organizations = job.include_own ? [...partners, job.organization_id] : partners;
        const entities = await trx
          .selectFrom('match_entities')
          .select(['record_id', 'encoding'])
          .where('record_id', 'in', slice)
          .where('organization_id', '=', job.organization_id)
          .where('key_id', '=', encoder.keyId)
          .execute();
        const answers = await searchEncoded(
          trx,
          encoder.keyId,
          entities.map((e) => ({
            encoded: e.encoding as EncodedEntity,
            organizations,
            recordId: e.record_id,
          })),
          options,
        );
        const rows: {
          job_id: string;
          seq: number;
          record_id: string;
          other_org_id: string;
          other_record_id: string | null;
          hit_id: string | null;
          score: number;
          features: string[];
        }[] = [];
        const change = await writeHits(
          trx,
          encoder.keyId,
          entities.map((e, i) => ({
            recordId: e.record_id,
            organizationId: job.organization_id,
            answer: answers[i]!,
          })),
          now,
        );
        for (const [i, e] of entities.entries()) {
          const answer = answers[i]!;
          capped += answer.cappedKeys;
          const hitIds = change.hitIds.get(e.record_id);
          for (const r of answer.results) {
            const own = r.organizationId === job.organization_id;
            // A pair of own duplicates is listed once.
            if (own && r.recordId < e.record_id) continue;
            rows.push({
              job_id: id,
              seq: seq++,
              record_id: e.record_id,
              other_org_id: r.organizationId,
              other_record_id: own ? r.recordId : null,
              hit_id: own ? null : (hitIds?.get(r.recordId) ?? null),
              score: r.score,
              features: r.features,
            });
          }
        }
        if (rows.length > 0) await trx.insertInto('match_xref_results').values(rows).execute();
        processed += slice.length;
        results += rows.length;
        await trx
          .updateTable('match_xref_jobs')
          .set({ processed, results, capped_keys: capped, heartbeat_at: new Date() })
          .where('id', '=', id)
          .execute();
      });
    }
    await ctx.db
      .updateTable('match_xref_jobs')
      .set({ status: 'done', finished_at: ctx.clock.now(), heartbeat_at: new Date() })
      .where('id', '=', id)
      .execute();
  } catch (err) {
    await ctx.db
      .updateTable('match_xref_jobs')
      .set({
        status: 'failed',
        failure: err instanceof Error ? err.message : String(err),
        finished_at: ctx.clock.now(),
      })
      .where('id', '=', id)
      .execute();
  }
}

async function loadJob(ctx: AppContext, actor: Actor, id: string): Promise<MatchXrefJobRow> {
  const row = await ctx.db
    .selectFrom('match_xref_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', actor.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('cross-reference job');
  return row;
}

export async function getXrefJob(ctx: AppContext, actor: Actor, id: string): Promise<XrefJobView> {
  requireMatchRole(actor, MATCH_READ_ROLES);
  return view(await loadJob(ctx, actor, id));
}

export async function listXrefJobs(ctx: AppContext, actor: Actor) {
  requireMatchRole(actor, MATCH_READ_ROLES);
  const rows = await ctx.db
    .selectFrom('match_xref_jobs')
    .selectAll()
    .where('organization_id', '=', actor.organizationId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return { items: rows.map(view) };
}

export interface XrefResultView {
  record: RecordRef;
  otherOrganization: OrgRefRow;
  otherRecord: RecordRef | null;
  hit: { id: string; reference: string } | null;
  score: number;
  features: string[];
}

export async function xrefResults(
  ctx: AppContext,
  actor: Actor,
  id: string,
  query: { page?: number; pageSize?: number; minScore?: number },
) {
  requireMatchRole(actor, MATCH_READ_ROLES);
  await loadJob(ctx, actor, id);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 25;
  let q = ctx.db.selectFrom('match_xref_results').where('job_id', '=', id);
  if (query.minScore !== undefined) q = q.where('score', '>=', query.minScore);
  const [rows, total] = await Promise.all([
    q
      .selectAll()
      .orderBy('score', 'desc')
      .orderBy('seq')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  // Only the organization's own records are described; of another's, only its organization.
  const recordIds = [
    ...rows.map((r) => r.record_id),
    ...rows.map((r) => r.other_record_id).filter((x): x is string => !!x),
  ];
  const hitIds = rows.map((r) => r.hit_id).filter((x): x is string => !!x);
  const [records, hits, orgs] = await Promise.all([
    recordIds.length === 0
      ? []
      : ctx.db
          .selectFrom('records')
          .select(['id', 'schema', 'caption', 'tlp'])
          .where('id', 'in', recordIds)
          .where('owner_org_id', '=', actor.organizationId)
          .execute(),
    hitIds.length === 0
      ? []
      : ctx.db.selectFrom('match_hits').select(['id', 'reference']).where('id', 'in', hitIds).execute(),
    orgRefs(
      ctx.db,
      rows.map((r) => r.other_org_id),
    ),
  ]);
  const recordOf = new Map(records.map((r) => [r.id, r]));
  const hitOf = new Map(hits.map((h) => [h.id, h]));
  const ref = (rid: string): RecordRef => {
    const r = recordOf.get(rid);
    return r
      ? { id: r.id, schema: r.schema, caption: r.caption, tlp: r.tlp }
      : { id: rid, schema: '', caption: '', tlp: '' };
  };
  const items: XrefResultView[] = rows.map((r) => ({
    record: ref(r.record_id),
    otherOrganization: orgs.get(r.other_org_id) ?? { id: r.other_org_id, slug: '', name: '', kind: '' },
    otherRecord: r.other_record_id ? ref(r.other_record_id) : null,
    hit: r.hit_id ? (hitOf.get(r.hit_id) ?? null) : null,
    score: roundScore(r.score),
    features: r.features,
  }));
  return { items, total: Number(total.n), page, pageSize };
}

/** Jobs left `running` by a process that died are failed, so they can be started again. */
export async function failInterruptedXrefs(ctx: AppContext, staleMs = 120_000): Promise<number> {
  const rows = await ctx.db
    .updateTable('match_xref_jobs')
    .set({
      status: 'failed',
      failure: 'interrupted: the process running it stopped',
      finished_at: ctx.clock.now(),
    })
    .where('status', 'in', ['running', 'queued'])
    .where('heartbeat_at', '<', new Date(Date.now() - staleMs))
    .returning('id')
    .execute();
  return rows.length;
}
