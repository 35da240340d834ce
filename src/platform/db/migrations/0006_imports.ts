import type { Kysely } from 'kysely';
import { execScript } from '../script.js';

/**
 * Bulk imports (features/transfer): one job per uploaded file with its progress counters, the rows
 * it rejected (index in the source and reason), and saved CSV column mappings an organization
 * reuses. `heartbeat_at` is wall-clock liveness of the process running a job, so a job whose
 * process died can be told apart from one that is merely slow.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execScript(
    db,
    `
    CREATE TABLE import_mappings (
      id uuid PRIMARY KEY,
      owner_org_id uuid NOT NULL REFERENCES organizations(id),
      name text NOT NULL,
      schema text NOT NULL,
      id_column text NOT NULL,
      columns jsonb NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL
    );
    CREATE INDEX import_mappings_owner ON import_mappings(owner_org_id, created_at DESC);

    CREATE TABLE import_jobs (
      id uuid PRIMARY KEY,
      owner_org_id uuid NOT NULL REFERENCES organizations(id),
      user_id uuid REFERENCES users(id),
      format text NOT NULL,
      mapping_id uuid REFERENCES import_mappings(id),
      status text NOT NULL,
      defaults jsonb NOT NULL,
      bytes_total bigint,
      bytes_read bigint NOT NULL DEFAULT 0,
      processed integer NOT NULL DEFAULT 0,
      created integer NOT NULL DEFAULT 0,
      updated integer NOT NULL DEFAULT 0,
      unchanged integer NOT NULL DEFAULT 0,
      rejected integer NOT NULL DEFAULT 0,
      skipped integer NOT NULL DEFAULT 0,
      skipped_by_type jsonb NOT NULL DEFAULT '{}'::jsonb,
      failed_batches integer NOT NULL DEFAULT 0,
      failure text,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      finished_at timestamptz,
      heartbeat_at timestamptz NOT NULL,
      CHECK (status IN ('queued', 'running', 'done', 'failed'))
    );
    CREATE INDEX import_jobs_owner ON import_jobs(owner_org_id, created_at DESC);
    CREATE INDEX import_jobs_open ON import_jobs(status) WHERE status IN ('queued', 'running');

    CREATE TABLE import_errors (
      job_id uuid NOT NULL REFERENCES import_jobs(id),
      seq integer NOT NULL,
      source_index integer NOT NULL,
      reason text NOT NULL,
      PRIMARY KEY (job_id, seq)
    );
  `,
  );
}
