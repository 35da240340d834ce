import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/db.js';

type Timestamp = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string, string>;
/** PostgreSQL bigint comes back as a string from pg and as a number or bigint from PGlite. */
type BigCount = ColumnType<string | number | bigint, number | undefined, number>;

export interface ImportJobsTable {
  id: string;
  owner_org_id: string;
  user_id: string | null;
  format: string;
  mapping_id: string | null;
  status: string;
  defaults: Json<Record<string, unknown>>;
  bytes_total: ColumnType<string | number | bigint | null, number | null, number | null>;
  bytes_read: BigCount;
  processed: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  skipped: Generated<number>;
  skipped_by_type: ColumnType<Record<string, number>, string | undefined, string>;
  failed_batches: Generated<number>;
  failure: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  heartbeat_at: Timestamp;
}

export interface ImportErrorsTable {
  job_id: string;
  seq: number;
  source_index: number;
  reason: string;
}

export interface ImportMappingsTable {
  id: string;
  owner_org_id: string;
  name: string;
  schema: string;
  id_column: string;
  columns: Json<Record<string, string>>;
  created_by: string | null;
  created_at: Timestamp;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    import_jobs: ImportJobsTable;
    import_errors: ImportErrorsTable;
    import_mappings: ImportMappingsTable;
  }
}

export type ImportJobRow = Selectable<ImportJobsTable>;
export type ImportMappingRow = Selectable<ImportMappingsTable>;

/** A database bigint as a JavaScript number (byte counts stay far below 2^53). */
export function toCount(v: string | number | bigint | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return Number(v);
}

/** The progress a job has made so far, as stored after every batch. */
export interface JobProgress {
  bytesRead: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  skippedByType: Record<string, number>;
  failedBatches: number;
}

/** Writes a job's counters (and its liveness heartbeat) in the caller's transaction. */
export async function saveProgress(
  db: Executor,
  jobId: string,
  p: JobProgress,
  heartbeat: Date,
): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      bytes_read: p.bytesRead,
      processed: p.processed,
      created: p.created,
      updated: p.updated,
      unchanged: p.unchanged,
      rejected: p.rejected,
      skipped: p.skipped,
      skipped_by_type: JSON.stringify(p.skippedByType),
      failed_batches: p.failedBatches,
      heartbeat_at: heartbeat,
    })
    .where('id', '=', jobId)
    .execute();
}

/** Appends rejected rows of a job; `seq` continues from `firstSeq` so rows stay in file order. */
export async function appendImportErrors(
  db: Executor,
  jobId: string,
  firstSeq: number,
  errors: { index: number; reason: string }[],
): Promise<void> {
  for (let i = 0; i < errors.length; i += 1000) {
    await db
      .insertInto('import_errors')
      .values(
        errors.slice(i, i + 1000).map((e, j) => ({
          job_id: jobId,
          seq: firstSeq + i + j,
          source_index: e.index,
          reason: e.reason,
        })),
      )
      .execute();
  }
}

/** One job of an organization (undefined for another organization's job: callers answer 404). */
export function loadJob(db: Executor, ownerOrgId: string, id: string): Promise<ImportJobRow | undefined> {
  return db
    .selectFrom('import_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('owner_org_id', '=', ownerOrgId)
    .executeTakeFirst();
}

/** The organization's jobs, newest first. */
export async function listJobs(
  db: Executor,
  ownerOrgId: string,
  limit: number,
  offset: number,
): Promise<{ rows: ImportJobRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('import_jobs')
      .selectAll()
      .where('owner_org_id', '=', ownerOrgId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('import_jobs')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('owner_org_id', '=', ownerOrgId)
      .executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** The first `limit` rejected rows of a job after `afterSeq`, in file order. */
export function jobErrors(
  db: Executor,
  jobId: string,
  limit: number,
  afterSeq = -1,
): Promise<{ seq: number; source_index: number; reason: string }[]> {
  return db
    .selectFrom('import_errors')
    .select(['seq', 'source_index', 'reason'])
    .where('job_id', '=', jobId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The organization's saved CSV mappings, newest first. */
export function listMappings(db: Executor, ownerOrgId: string): Promise<ImportMappingRow[]> {
  return db
    .selectFrom('import_mappings')
    .selectAll()
    .where('owner_org_id', '=', ownerOrgId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** One saved mapping of the organization, or undefined. */
export function loadMapping(
  db: Executor,
  ownerOrgId: string,
  id: string,
): Promise<ImportMappingRow | undefined> {
  return db
    .selectFrom('import_mappings')
    .selectAll()
    .where('id', '=', id)
    .where('owner_org_id', '=', ownerOrgId)
    .executeTakeFirst();
}
