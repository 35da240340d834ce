import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { DATA_WRITER_ROLES } from '../../domain/vocabulary.js';
import { parserFor } from '../../formats/index.js';
import type { ImportedEntity, ParseEvent } from '../../formats/types.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { type Actor, hasRole } from '../../platform/auth/actor.js';
import { addDays, addMonths } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/db.js';
import type { FtmProperties, NewRecordRow, RecordRow } from '../../platform/db/schema.js';
import { emit } from '../../platform/events/outbox.js';
import { type FieldError, forbidden, invalidMany, notFound } from '../../platform/http/problem.js';
import { readAhead } from '../../platform/streams/read-ahead.js';
import { snapshotOf } from '../records/records.history.js';
import {
  dataCategoryFor,
  isPersonSchema,
  normalizeProperties,
  validateProperties,
} from '../records/records.model.js';
import { type SearchText, searchColumnsFor, searchTextColumns } from '../records/records.search-columns.js';
import {
  canonicalProperties,
  entityPropertiesOf,
  evaluationErrors,
  handlingErrors,
  type ImportDefaults,
  type TransferFormat,
} from './imports.model.js';
import {
  appendImportErrors,
  type ImportJobRow,
  type JobProgress,
  loadMapping,
  saveProgress,
  toCount,
} from './transfer.store.js';

/** Entities written per transaction. */
export const IMPORT_BATCH_SIZE = 1000;
/** Links waiting for an end that has not appeared yet are held back at most this many at a time. */
const MAX_DEFERRED = 10_000;
/** Copied from records.service.ts: records are kept five years, reviewed six months before expiry. */
const RETENTION_MONTHS = 5 * 12;
const REVIEW_MONTHS_BEFORE_EXPIRY = 6;
// Stands in for a reference while the rest of an entity is validated.
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

/** A view of a job's progress: what GET /imports/{id} and the CLI show. */
export interface ImportProgress extends JobProgress {
  id: string;
  bytesTotal: number | null;
}

export interface ImportRequest {
  format: TransferFormat;
  source: AsyncIterable<Uint8Array | string>;
  bytesTotal?: number;
  defaults: ImportDefaults;
  mappingId?: string;
  onProgress?: (p: ImportProgress) => void;
  /** A job row created earlier (the API creates it at upload, `queued`); otherwise one is created. */
  jobId?: string;
  /** Test hook: throw inside the transaction of this 1-based batch, after its rows are written. */
  failBatch?: number;
}

export interface ImportSummary extends ImportProgress {
  status: 'done' | 'failed';
  failure: string | null;
  /** The first rejected rows, in file order. */
  errors: { index: number; reason: string }[];
}

interface Candidate {
  index: number;
  entity: ImportedEntity;
  /** What can be checked without the database (the model, handling, evaluation, subject, NUL). */
  errors: FieldError[];
  /**
   * Search columns, computed ahead from the entity's own values: reference resolution only changes
   * entity-typed properties, which neither search text, names, countries nor any caption use.
   */
  search: SearchText | null;
}

/** A parse event with its entity checked and its search text computed (Candidate), if any. */
type CheckedEvent = Exclude<ParseEvent, { type: 'entity' }> | { type: 'entity'; candidate: Candidate };

/** Parse events pulled ahead of the batch being written: two batches' worth. */
const READ_AHEAD = 2 * 1000;

/** Validates import defaults like POST /records validates the same fields; throws a 400 naming them. */
export function checkImportDefaults(defaults: ImportDefaults): void {
  const errors: FieldError[] = [
    ...handlingErrors(defaults, 'defaults'),
    ...evaluationErrors(defaults.evaluation, 'defaults.evaluation'),
  ];
  if (errors.length > 0) throw invalidMany(errors);
}

/** Creates a job row for the actor's organization; `queued` until `runImport` picks it up. */
export async function createImportJob(
  ctx: AppContext,
  actor: Actor,
  input: { format: TransferFormat; defaults: ImportDefaults; mappingId?: string; bytesTotal?: number },
  status: 'queued' | 'running' = 'queued',
): Promise<string> {
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db
    .insertInto('import_jobs')
    .values({
      id,
      owner_org_id: actor.organizationId,
      user_id: actor.userId,
      format: input.format,
      mapping_id: input.mappingId ?? null,
      status,
      defaults: JSON.stringify(input.defaults),
      bytes_total: input.bytesTotal ?? null,
      failure: null,
      created_at: now,
      started_at: status === 'running' ? now : null,
      finished_at: null,
      // Wall-clock liveness of this process, compared with other processes' clocks, not domain time.
      heartbeat_at: new Date(),
    })
    .execute();
  return id;
}

/**
 * Imports a file of entities as records of the actor's organization. Guarantees: the file is read
 * as a stream and entities are written in transactions of at most 1,000, each with its record
 * versions, one `records.imported` audit entry and one outbox event; an entity whose external id the
 * organization already holds updates that record (a new version) or, when nothing differs, leaves
 * it alone; references between entities are resolved to record ids within the batch and against
 * the database (links that precede their ends wait for them); rejected rows are stored with their
 * index and reason and the rest goes on; a batch the database refuses is rolled back as a whole
 * and its entities reported. The job row holds the progress after every batch. Memory holds one
 * batch plus waiting links, never the whole file.
 */
export async function runImport(ctx: AppContext, actor: Actor, req: ImportRequest): Promise<ImportSummary> {
  if (!hasRole(actor, ...DATA_WRITER_ROLES)) throw forbidden('Your roles do not allow creating records.');
  checkImportDefaults(req.defaults);
  let mapping: { schema: string; idColumn: string; columns: Record<string, string> } | undefined;
  if (req.mappingId) {
    const row = await loadMapping(ctx.db, actor.organizationId, req.mappingId);
    if (!row) throw notFound('import mapping');
    mapping = { schema: row.schema, idColumn: row.id_column, columns: row.columns };
  }
  const parse = parserFor(req.format, mapping);
  let jobId = req.jobId;
  if (jobId) {
    await ctx.db
      .updateTable('import_jobs')
      .set({ status: 'running', started_at: ctx.clock.now(), heartbeat_at: new Date() })
      .where('id', '=', jobId)
      .execute();
  } else {
    jobId = await createImportJob(
      ctx,
      actor,
      { format: req.format, defaults: req.defaults, mappingId: req.mappingId, bytesTotal: req.bytesTotal },
      'running',
    );
  }
  const job = new ImportRun(ctx, actor, jobId, req);
  // A heartbeat between batches too: a slow parser (one huge STIX bundle) is still alive.
  const heartbeat = setInterval(() => {
    ctx.db
      .updateTable('import_jobs')
      .set({ heartbeat_at: new Date() })
      .where('id', '=', job.jobId)
      .execute()
      .catch(() => undefined);
  }, 10_000);
  heartbeat.unref();
  try {
    return await job.run(parse);
  } finally {
    clearInterval(heartbeat);
  }
}

/** One import in progress: counters, the current batch, links waiting for their ends. */
class ImportRun {
  private readonly progress: JobProgress = {
    bytesRead: 0,
    processed: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    skipped: 0,
    skippedByType: {},
    failedBatches: 0,
  };
  private batch: Candidate[] = [];
  private batchIds = new Set<string>();
  private deferred: Candidate[] = [];
  private pendingErrors: { index: number; reason: string }[] = [];
  private firstErrors: { index: number; reason: string }[] = [];
  private errorSeq = 0;
  private batchNo = 0;
  /** The batch whose transaction is running, with its plan. */
  private inflight: { plan: BatchPlan; done: Promise<boolean> } | null = null;
  /** Links a failed batch held back and reported: dropped if a later batch took them already. */
  private readonly withdrawn = new Set<Candidate>();

  constructor(
    private readonly ctx: AppContext,
    private readonly actor: Actor,
    readonly jobId: string,
    private readonly req: ImportRequest,
  ) {}

  async run(parse: ReturnType<typeof parserFor>): Promise<ImportSummary> {
    let failure: string | null = null;
    try {
      // Parsing and checking run ahead, on this core, while PostgreSQL writes the batch before.
      for await (const ev of readAhead(this.checked(parse(this.counted(this.req.source))), READ_AHEAD)) {
        await this.accept(ev);
      }
      await this.flush(false);
      await this.settle();
      // Links whose ends never came get one last chance against everything written, then are rejected.
      while (this.deferred.length > 0) {
        await this.flush(true);
        await this.settle();
      }
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    await this.settle();
    const status = failure ? 'failed' : 'done';
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.writeErrors(trx);
      await saveProgress(trx, this.jobId, this.progress, new Date());
      await trx
        .updateTable('import_jobs')
        .set({ status, failure, finished_at: this.ctx.clock.now() })
        .where('id', '=', this.jobId)
        .execute();
    });
    this.report();
    return { ...this.view(), status, failure, errors: this.firstErrors };
  }

  /** Checks entities as they are parsed: everything that does not need the database. */
  private async *checked(events: AsyncIterable<ParseEvent>): AsyncGenerator<CheckedEvent> {
    const d = this.req.defaults;
    const handling = handlingErrors(d);
    for await (const ev of events) {
      if (ev.type !== 'entity') {
        yield ev;
        continue;
      }
      const e = ev.entity;
      const errors = validateProperties(e.schema, withPlaceholders(e.schema, e.properties));
      errors.push(...handling);
      if (e.evaluation) errors.push(...evaluationErrors(e.evaluation));
      if (isPersonSchema(e.schema) && !d.subjectCategory) {
        errors.push({
          field: 'subjectCategory',
          rule: 'required',
          message: 'records about people need a data-subject category (give one in the import defaults)',
        });
      }
      if (hasNul(e)) errors.push({ field: 'properties', rule: 'nul', message: 'contains a NUL character' });
      const search =
        errors.length === 0 ? searchTextColumns(e.schema, normalizeProperties(e.schema, e.properties)) : null;
      yield { type: 'entity', candidate: { index: ev.index, entity: e, errors, search } };
    }
  }

  private async *counted(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
    for await (const chunk of source) {
      this.progress.bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      yield chunk;
    }
  }

  private view(): ImportProgress {
    return {
      ...this.progress,
      skippedByType: { ...this.progress.skippedByType },
      id: this.jobId,
      bytesTotal: this.req.bytesTotal ?? null,
    };
  }

  private report(): void {
    this.req.onProgress?.(this.view());
  }

  private reject(index: number, reason: string): { index: number; reason: string } {
    this.progress.rejected += 1;
    this.progress.processed += 1;
    const e = { index, reason };
    this.pendingErrors.push(e);
    if (this.firstErrors.length < 100) this.firstErrors.push(e);
    return e;
  }

  private countSkipped(objectType: string): void {
    this.progress.skipped += 1;
    this.progress.processed += 1;
    this.progress.skippedByType[objectType] = (this.progress.skippedByType[objectType] ?? 0) + 1;
  }

  private async accept(ev: CheckedEvent): Promise<void> {
    switch (ev.type) {
      case 'entity': {
        const id = ev.candidate.entity.externalId;
        // A second entity with the same id in one batch becomes an update in the next one.
        if (this.batchIds.has(id)) await this.flush(false);
        this.batch.push(ev.candidate);
        this.batchIds.add(id);
        if (this.batch.length >= IMPORT_BATCH_SIZE) await this.flush(false);
        return;
      }
      case 'rejected':
        this.reject(ev.index, ev.reason);
        break;
      case 'skipped':
        this.countSkipped(ev.objectType);
        break;
      default: {
        const never: never = ev;
        throw new Error(`unknown parse event ${JSON.stringify(never)}`);
      }
    }
    if (this.pendingErrors.length >= IMPORT_BATCH_SIZE) {
      await this.settle();
      await this.writeErrors(this.ctx.db);
      await saveProgress(this.ctx.db, this.jobId, this.progress, new Date());
    }
  }

  /** Writes the pending errors; returns them, and the sequence number they started at. */
  private async writeErrors(
    db: Executor,
  ): Promise<{ errors: { index: number; reason: string }[]; seq: number }> {
    const errors = this.pendingErrors;
    const seq = this.errorSeq;
    if (errors.length === 0) return { errors, seq };
    this.pendingErrors = [];
    await appendImportErrors(db, this.jobId, seq, errors);
    this.errorSeq += errors.length;
    return { errors, seq };
  }

  /** Waits for the batch in flight, if any. */
  private async settle(): Promise<void> {
    const inflight = this.inflight;
    if (!inflight) return;
    await inflight.done;
    if (this.inflight === inflight) this.inflight = null;
  }

  /**
   * Plans the current batch (and the waiting links) and starts its transaction without waiting
   * for it. At most one transaction is in flight: while PostgreSQL writes batch k, this process
   * parses, checks and plans batch k+1 (the two use different cores). Batch k+1 is planned against
   * what is committed plus what batch k writes; if batch k rolls back, or batch k+1 writes an entity
   * batch k writes too, batch k+1 is planned again once batch k is done.
   */
  private async flush(final: boolean): Promise<void> {
    // Waiting links go first so that a newer entity with the same id (later in the file) wins.
    const byId = new Map<string, Candidate>();
    for (const c of [...this.deferred, ...this.batch]) {
      const earlier = byId.get(c.entity.externalId);
      if (earlier) this.countSkipped('superseded');
      byId.set(c.entity.externalId, c);
    }
    this.deferred = [];
    this.batch = [];
    this.batchIds = new Set();
    let candidates = [...byId.values()];
    if (candidates.length === 0) {
      await this.settle();
      await this.writeErrors(this.ctx.db);
      return;
    }
    this.batchNo += 1;
    const no = this.batchNo;
    const before = this.inflight;
    let plan: BatchPlan | null = null;
    if (before && !candidates.some((c) => before.plan.written.has(c.entity.externalId))) {
      plan = await this.plan(this.ctx.db, no, candidates, final, before.plan.written);
    }
    const committed = before ? await before.done : true;
    if (this.inflight === before) this.inflight = null;
    if (!committed) {
      // Links the failed batch held back were reported with it: not retried here.
      candidates = candidates.filter((c) => !this.withdrawn.has(c));
      this.withdrawn.clear();
    }
    if (!plan || !committed) plan = await this.plan(this.ctx.db, no, candidates, final, null);
    const done = this.commit(plan);
    this.inflight = { plan, done };
  }

  /**
   * Resolves references and validates against the database: what the batch will write, with its
   * rejections and the links it holds back. Reads the run's state, never changes it.
   * `inflight` maps the external ids the batch in flight writes to their record ids.
   */
  private async plan(
    db: Executor,
    no: number,
    candidates: Candidate[],
    final: boolean,
    inflight: Map<string, string> | null,
  ): Promise<BatchPlan> {
    const wanted = new Set<string>();
    for (const c of candidates) {
      wanted.add(c.entity.externalId);
      for (const prop of entityPropertiesOf(c.entity.schema)) {
        for (const v of c.entity.properties[prop] ?? []) wanted.add(v);
      }
    }
    // One probe of the unique (owner, external id) index per wanted id. The plain forms
    // (`external_id = ANY(…)`, or a join with the ids) leave the plan to statistics that a bulk load
    // outruns: with the owner's id known, PostgreSQL chose the owner index and filtered (or sorted)
    // every record of the organization, 15 ms per batch at 50,000 records and 0.2–0.9 s at
    // 400,000, measured. A LATERAL subquery with LIMIT 1 is planned per id on the unique index.
    const { rows: existingRows } = await sql<RecordRow>`
      SELECT r.* FROM unnest(${[...wanted]}::text[]) AS w(external_id)
      CROSS JOIN LATERAL (
        SELECT * FROM records x
        WHERE x.owner_org_id = ${this.actor.organizationId}::uuid AND x.external_id = w.external_id
        LIMIT 1
      ) r`.execute(db);
    const existing = new Map(existingRows.map((r) => [r.external_id as string, r]));
    const rejects: { index: number; reason: string }[] = [];
    const deferred: Candidate[] = [];
    const valid: Candidate[] = [];
    for (const c of candidates) {
      const e = c.entity;
      const errors = [...c.errors];
      const current = existing.get(e.externalId);
      if (current && current.schema !== e.schema) {
        errors.push({
          field: 'schema',
          rule: 'external_id',
          message: `id ${e.externalId} belongs to a ${current.schema} record`,
        });
      } else if (current && current.status !== 'active') {
        errors.push({ field: 'status', rule: 'active', message: `the record is ${current.status}` });
      }
      if (errors.length > 0) {
        rejects.push({ index: c.index, reason: errors.map((x) => `${x.field}: ${x.message}`).join('; ') });
      } else {
        valid.push(c);
      }
    }
    // Give every surviving entity its record id, then drop entities whose references go nowhere
    // until nothing changes (dropping one can strand a link that pointed at it).
    const ids = new Map<string, string>();
    for (const c of valid)
      ids.set(c.entity.externalId, existing.get(c.entity.externalId)?.id ?? randomUUID());
    const elsewhere = (ref: string) => existing.get(ref)?.id ?? inflight?.get(ref);
    let active = valid;
    let resolved = new Map<Candidate, FtmProperties>();
    for (;;) {
      const next: Candidate[] = [];
      resolved = new Map();
      for (const c of active) {
        const { properties, missing } = resolveReferences(c.entity, ids, elsewhere);
        if (missing.length === 0) {
          next.push(c);
          resolved.set(c, properties);
          continue;
        }
        ids.delete(c.entity.externalId);
        if (!final && this.deferred.length + deferred.length < MAX_DEFERRED) {
          deferred.push(c);
        } else {
          rejects.push({
            index: c.index,
            reason: `references entities not found in the import or your records: ${missing.join(', ')}`,
          });
        }
      }
      if (next.length === active.length) break;
      active = next;
    }
    const now = this.ctx.clock.now();
    const write = this.planWrite(
      active.map((c) => ({
        candidate: c,
        id: ids.get(c.entity.externalId) as string,
        properties: normalizeProperties(c.entity.schema, resolved.get(c) as FtmProperties),
        existing: existing.get(c.entity.externalId),
      })),
      now,
    );
    const written = new Map<string, string>();
    for (const c of active) {
      const id = ids.get(c.entity.externalId);
      if (id) written.set(c.entity.externalId, id);
    }
    return { no, candidates, rejects, deferred, write, written, now };
  }

  /**
   * Commits a planned batch: applies its counts, rejections and held-back links to the run, writes
   * it in one transaction, and on failure takes all of that back and reports each of its entities.
   * Resolves to whether the batch was committed; never rejects.
   */
  private async commit(plan: BatchPlan): Promise<boolean> {
    // Applied before the first await, so the next batch's plan sees the links held back.
    const own = new Set(plan.rejects.map((r) => this.reject(r.index, r.reason)));
    this.deferred.push(...plan.deferred);
    const w = plan.write;
    this.progress.created += w.inserts.size;
    this.progress.updated += w.updates.length;
    this.progress.unchanged += w.unchanged;
    this.progress.processed += w.processed;
    let taken: { errors: { index: number; reason: string }[]; seq: number } | null = null;
    const orgId = this.actor.organizationId;
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        const updatedIds = await this.execWrite(trx, w, plan.now);
        if (this.req.failBatch === plan.no) throw new Error(`test hook: batch ${plan.no} fails`);
        if (w.inserts.size + updatedIds.length > 0 || w.unchanged > 0) {
          await appendAudit(trx, plan.now, [
            {
              action: 'records.imported',
              actorUserId: this.actor.userId,
              actorOrgId: orgId,
              objectType: 'import',
              objectId: this.jobId,
              ownerOrgId: orgId,
              basis: 'owner',
              outcome: 'success',
              details: {
                batch: plan.no,
                format: this.req.format,
                created: w.inserts.size,
                updated: updatedIds.length,
                unchanged: w.unchanged,
                createdIds: w.inserts.id,
                updatedIds,
              },
            },
          ]);
          await emit(trx, plan.now, 'records.imported', {
            importId: this.jobId,
            ownerOrgId: orgId,
            batch: plan.no,
            createdIds: w.inserts.id,
            updatedIds,
          });
        }
        taken = await this.writeErrors(trx);
        await saveProgress(trx, this.jobId, this.progress, new Date());
      });
    } catch (err) {
      // The transaction rolled back: take back what this batch counted and report each of its
      // entities, and the links it held back, once.
      this.progress.created -= w.inserts.size;
      this.progress.updated -= w.updates.length;
      this.progress.unchanged -= w.unchanged;
      this.progress.processed -= w.processed;
      this.progress.rejected -= own.size;
      this.progress.processed -= own.size;
      const restored = taken as { errors: { index: number; reason: string }[]; seq: number } | null;
      if (restored) {
        this.errorSeq = restored.seq;
        this.pendingErrors = [...restored.errors, ...this.pendingErrors];
      }
      this.pendingErrors = this.pendingErrors.filter((e) => !own.has(e));
      const first = this.firstErrors.filter((e) => !own.has(e));
      this.firstErrors.length = 0;
      this.firstErrors.push(...first);
      const heldBack = new Set(plan.deferred);
      this.deferred = this.deferred.filter((c) => !heldBack.has(c));
      for (const c of plan.deferred) this.withdrawn.add(c);
      this.progress.failedBatches += 1;
      const message = err instanceof Error ? err.message : String(err);
      for (const c of plan.candidates) {
        this.reject(c.index, `batch ${plan.no} was rolled back, nothing of it was written: ${message}`);
      }
      try {
        await this.writeErrors(this.ctx.db);
        await saveProgress(this.ctx.db, this.jobId, this.progress, new Date());
      } catch {
        // The final write of the run tries again; the batch's failure is already counted.
      }
      this.report();
      return false;
    }
    this.report();
    return true;
  }

  /** Builds a batch's rows: new records column by column, updates, versions. No database. */
  private planWrite(
    prepared: {
      candidate: Candidate;
      id: string;
      properties: FtmProperties;
      existing: RecordRow | undefined;
    }[],
    now: Date,
  ): WritePlan {
    const d = this.req.defaults;
    const expiresAt = addMonths(now, RETENTION_MONTHS);
    const reviewAt = addMonths(expiresAt, -REVIEW_MONTHS_BEFORE_EXPIRY);
    const inserts = new InsertColumns();
    const updates: { id: string; version: number; fields: Partial<NewRecordRow> }[] = [];
    const versions = new VersionColumns();
    const reviewAtNew = reviewAt < now ? addDays(now, 1) : reviewAt;
    let unchanged = 0;
    for (const p of prepared) {
      const e = p.candidate.entity;
      const evaluation = e.evaluation ?? d.evaluation;
      const fields = {
        tlp: e.tlp ?? d.tlp,
        handling_codes: [...d.codes],
        handling_h3_text: d.h3Text ?? null,
        evaluation_scheme: evaluation.scheme,
        evaluation_source: evaluation.source,
        evaluation_information: evaluation.information,
        crime_areas: [...d.crimeAreas],
        purposes: [...d.purposes],
        subject_category: isPersonSchema(e.schema) ? (d.subjectCategory ?? null) : null,
      };
      const cur = p.existing;
      if (cur && sameContent(cur, p.properties, fields)) {
        unchanged += 1;
        continue;
      }
      if (cur) {
        updates.push({
          id: cur.id,
          version: cur.version + 1,
          fields: {
            ...fields,
            ...searchColumnsFor(e.schema, p.properties),
            properties: JSON.stringify(p.properties),
          },
        });
        continue;
      }
      const search = p.candidate.search ?? searchTextColumns(e.schema, p.properties);
      const dataCategory = dataCategoryFor(e.schema);
      inserts.add(p.id, e.schema, e.externalId, dataCategory, fields, p.properties, search);
      // The snapshot writeVersion would take from the row the insert returns, built from the values
      // sent instead of reading every new row back.
      versions.add(
        p.id,
        1,
        'created',
        snapshotOf({
          ...fields,
          schema: e.schema,
          caption: search.caption,
          properties: p.properties,
          data_category: dataCategory,
          status: 'active',
          retracted_reason: null,
          review_at: reviewAtNew,
          expires_at: expiresAt,
          external_id: e.externalId,
        }),
      );
    }
    return {
      inserts,
      updates,
      versions,
      unchanged,
      processed: prepared.length,
      reviewAt: reviewAtNew,
      expiresAt,
    };
  }

  /** Writes a planned batch's records and versions; returns the ids of the records it updated. */
  private async execWrite(trx: Executor, w: WritePlan, now: Date): Promise<string[]> {
    const d = this.req.defaults;
    const { inserts } = w;
    // Updated records' versions join the planned ones (a plan is written once, never again).
    const { versions } = w;
    if (inserts.size > 0) {
      // One statement per batch, one array parameter per column: PostgreSQL parses 30 parameters
      // instead of 27 per row, and the columns every imported row shares are sent once.
      await sql`
        INSERT INTO records (id, owner_org_id, schema, caption, properties, tlp, handling_codes,
          handling_h3_text, evaluation_scheme, evaluation_source, evaluation_information, crime_areas,
          purposes, data_category, subject_category, status, retracted_reason, review_at, expires_at,
          external_id, search_text, search_tsv, search_names, search_skeleton, countries, created_by,
          created_at, updated_at)
        SELECT u.id, ${this.actor.organizationId}::uuid, u.schema, u.caption, u.properties::jsonb, u.tlp,
          ${d.codes}::text[], ${d.h3Text ?? null}::text, u.scheme, u.source, u.information,
          ${d.crimeAreas}::text[], ${d.purposes}::text[], u.data_category, u.subject_category, 'active',
          NULL, ${w.reviewAt}::timestamptz, ${w.expiresAt}::timestamptz, u.external_id, u.search_text,
          to_tsvector('simple'::regconfig, u.folded), u.names, to_tsvector('simple'::regconfig, u.skeleton),
          string_to_array(u.countries, ' '), ${this.actor.userId}::uuid, ${now}::timestamptz, ${now}::timestamptz
        FROM unnest(${inserts.id}::uuid[], ${inserts.schema}::text[], ${inserts.caption}::text[],
          ${inserts.properties}::text[], ${inserts.tlp}::text[], ${inserts.scheme}::text[],
          ${inserts.source}::text[], ${inserts.information}::text[], ${inserts.dataCategory}::text[],
          ${inserts.subjectCategory}::text[], ${inserts.externalId}::text[], ${inserts.searchText}::text[],
          ${inserts.folded}::text[], ${inserts.names}::text[], ${inserts.skeleton}::text[],
          ${inserts.countries}::text[])
          AS u(id, schema, caption, properties, tlp, scheme, source, information, data_category,
            subject_category, external_id, search_text, folded, names, skeleton, countries)
      `.execute(trx);
    }
    const updatedIds: string[] = [];
    for (const u of w.updates) {
      const row = await trx
        .updateTable('records')
        .set({ ...u.fields, version: u.version, updated_at: now })
        .where('id', '=', u.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      versions.add(row.id, row.version, 'updated', snapshotOf(row));
      updatedIds.push(row.id);
    }
    // The rows writeVersion (records.history.ts) writes, in one statement: the same snapshot and
    // columns, so history reads them like any other version.
    if (versions.size > 0) {
      await sql`
        INSERT INTO record_versions (record_id, version, at, action, actor_user_id, actor_org_id, snapshot)
        SELECT u.record_id, u.version, ${now}::timestamptz, u.action, ${this.actor.userId}::uuid,
          ${this.actor.organizationId}::uuid, u.snapshot::jsonb
        FROM unnest(${versions.recordId}::uuid[], ${versions.version}::int[], ${versions.action}::text[],
          ${versions.snapshot}::text[]) AS u(record_id, version, action, snapshot)
      `.execute(trx);
    }
    return updatedIds;
  }
}

function hasNul(e: ImportedEntity): boolean {
  return Object.values(e.properties).some((vs) =>
    vs.some((v) => typeof v === 'string' && v.includes('\u0000')),
  );
}

/** The entity's properties with references replaced by a well-formed id, for validation. */
function withPlaceholders(schema: string, properties: FtmProperties): FtmProperties {
  const refs = entityPropertiesOf(schema);
  if (refs.length === 0) return properties;
  const out: FtmProperties = { ...properties };
  for (const prop of refs) {
    const values = out[prop];
    if (values) out[prop] = values.map(() => PLACEHOLDER_ID);
  }
  return out;
}

/** Translates the entity's references (external ids) to record ids; lists those with no target. */
function resolveReferences(
  e: ImportedEntity,
  ids: Map<string, string>,
  elsewhere: (ref: string) => string | undefined,
): { properties: FtmProperties; missing: string[] } {
  const refs = entityPropertiesOf(e.schema);
  if (refs.length === 0) return { properties: e.properties, missing: [] };
  const properties: FtmProperties = { ...e.properties };
  const missing: string[] = [];
  for (const prop of refs) {
    const values = properties[prop];
    if (!values) continue;
    properties[prop] = values.map((v) => {
      const id = ids.get(v) ?? elsewhere(v);
      if (!id) missing.push(v);
      return id ?? v;
    });
  }
  return { properties, missing };
}

function sameContent(
  cur: RecordRow,
  properties: FtmProperties,
  f: {
    tlp: string;
    handling_codes: string[];
    handling_h3_text: string | null;
    evaluation_scheme: string;
    evaluation_source: string;
    evaluation_information: string;
    crime_areas: string[];
    purposes: string[];
    subject_category: string | null;
  },
): boolean {
  const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return (
    canonicalProperties(cur.properties) === canonicalProperties(properties) &&
    cur.tlp === f.tlp &&
    sameList(cur.handling_codes, f.handling_codes) &&
    cur.handling_h3_text === f.handling_h3_text &&
    cur.evaluation_scheme === f.evaluation_scheme &&
    cur.evaluation_source === f.evaluation_source &&
    cur.evaluation_information === f.evaluation_information &&
    sameList(cur.crime_areas, f.crime_areas) &&
    sameList(cur.purposes, f.purposes) &&
    cur.subject_category === f.subject_category
  );
}

/** A job as the API shows it. */
export function jobView(row: ImportJobRow, errors: { source_index: number; reason: string }[]) {
  return {
    id: row.id,
    format: row.format,
    status: row.status as 'queued' | 'running' | 'done' | 'failed',
    bytesTotal: row.bytes_total === null ? null : toCount(row.bytes_total),
    bytesRead: toCount(row.bytes_read),
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    skipped: row.skipped,
    skippedByType: row.skipped_by_type,
    failedBatches: row.failed_batches,
    failure: row.failure,
    errors: errors.map((e) => ({ index: e.source_index, reason: e.reason })),
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at ? row.started_at.toISOString() : null,
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
  };
}

/**
 * Marks jobs whose process died (queued or running, no heartbeat for a minute) as failed with the
 * reason "interrupted". Safe with several processes on one database: a live process beats every
 * 10 seconds and after every batch.
 */
export async function failInterruptedImports(ctx: AppContext): Promise<number> {
  const stale = new Date(Date.now() - 60_000);
  const rows = await ctx.db
    .updateTable('import_jobs')
    .set({ status: 'failed', failure: 'interrupted', finished_at: ctx.clock.now() })
    .where('status', 'in', ['queued', 'running'])
    .where('heartbeat_at', '<', stale)
    .returning('id')
    .execute();
  return rows.length;
}

/** New records of a batch, column by column, for one `INSERT … SELECT FROM unnest(…)`. */
class InsertColumns {
  readonly id: string[] = [];
  readonly schema: string[] = [];
  readonly caption: string[] = [];
  readonly properties: string[] = [];
  readonly tlp: string[] = [];
  readonly scheme: string[] = [];
  readonly source: string[] = [];
  readonly information: string[] = [];
  readonly dataCategory: string[] = [];
  readonly subjectCategory: (string | null)[] = [];
  readonly externalId: string[] = [];
  readonly searchText: string[] = [];
  readonly folded: string[] = [];
  readonly names: string[] = [];
  readonly skeleton: string[] = [];
  readonly countries: string[] = [];

  get size(): number {
    return this.id.length;
  }

  add(
    id: string,
    schema: string,
    externalId: string,
    dataCategory: string,
    f: {
      tlp: string;
      evaluation_scheme: string;
      evaluation_source: string;
      evaluation_information: string;
      subject_category: string | null;
    },
    properties: FtmProperties,
    search: SearchText,
  ): void {
    this.id.push(id);
    this.schema.push(schema);
    this.caption.push(search.caption);
    this.properties.push(JSON.stringify(properties));
    this.tlp.push(f.tlp);
    this.scheme.push(f.evaluation_scheme);
    this.source.push(f.evaluation_source);
    this.information.push(f.evaluation_information);
    this.dataCategory.push(dataCategory);
    this.subjectCategory.push(f.subject_category);
    this.externalId.push(externalId);
    this.searchText.push(search.searchText);
    this.folded.push(search.folded);
    this.names.push(search.names);
    this.skeleton.push(search.skeleton);
    // Country codes are validated (`ftm_country`: letters, digits and dashes), so a space separates them.
    this.countries.push(search.countries.join(' '));
  }
}

/** What a batch writes, planned before its transaction (`ImportRun.plan`). */
interface WritePlan {
  inserts: InsertColumns;
  updates: { id: string; version: number; fields: Partial<NewRecordRow> }[];
  /** Versions of the new records; those of updated ones are added when the update returns its row. */
  versions: VersionColumns;
  unchanged: number;
  processed: number;
  reviewAt: Date;
  expiresAt: Date;
}

/** A batch ready for its transaction. */
interface BatchPlan {
  no: number;
  /** Everything taken into the batch: reported entity by entity if it rolls back. */
  candidates: Candidate[];
  rejects: { index: number; reason: string }[];
  /** Links held back for a later batch, their ends not yet written. */
  deferred: Candidate[];
  write: WritePlan;
  /** External id → record id of every entity the batch creates, updates or leaves unchanged. */
  written: Map<string, string>;
  now: Date;
}

/** Versions of a batch, column by column. */
class VersionColumns {
  readonly recordId: string[] = [];
  readonly version: number[] = [];
  readonly action: string[] = [];
  readonly snapshot: string[] = [];

  get size(): number {
    return this.recordId.length;
  }

  add(recordId: string, version: number, action: 'created' | 'updated', snapshot: unknown): void {
    this.recordId.push(recordId);
    this.version.push(version);
    this.action.push(action);
    this.snapshot.push(JSON.stringify(snapshot));
  }
}
