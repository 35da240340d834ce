import type { Kysely } from 'kysely';
import { execScript } from '../script.js';

/**
 * Retention and tombstones for records: when a record was retracted (the tombstone's date and the
 * start of its purge grace), when its owner last confirmed it is still needed, for which review date
 * the reminder went out (so it goes out once), and when its content was erased. The GIN index lets
 * the links query find the records whose entity properties hold an id by jsonb containment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execScript(
    db,
    `
    ALTER TABLE records ADD COLUMN retracted_at timestamptz;
    ALTER TABLE records ADD COLUMN reviewed_at timestamptz;
    ALTER TABLE records ADD COLUMN review_reminded_for timestamptz;
    ALTER TABLE records ADD COLUMN purged_at timestamptz;
    CREATE INDEX records_review_due ON records(review_at) WHERE status = 'active';
    CREATE INDEX records_expiry_due ON records(expires_at) WHERE purged_at IS NULL;
    CREATE INDEX records_properties_refs ON records USING gin (properties jsonb_path_ops);
  `,
  );
}
