import type { Kysely } from 'kysely';
import { execScript } from '../script.js';

/**
 * Every version of every record, as a snapshot of what readers saw: history and diffs are computed
 * from consecutive snapshots. `action` says what made the version (created, updated, retracted,
 * extended, reviewed, expired, purged).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execScript(
    db,
    `
    CREATE TABLE record_versions (
      record_id uuid NOT NULL REFERENCES records(id),
      version integer NOT NULL,
      at timestamptz NOT NULL,
      action text NOT NULL,
      actor_user_id uuid,
      actor_org_id uuid,
      snapshot jsonb NOT NULL,
      PRIMARY KEY (record_id, version)
    );
  `,
  );
}
