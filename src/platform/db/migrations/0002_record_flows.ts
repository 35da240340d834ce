import type { Kysely } from 'kysely';
import { execScript } from '../script.js';

/**
 * The first time a record reaches an organization under an agreement. Feeds the agreement's
 * `volume` review trigger (records exchanged since the last review) and cooperation metrics.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execScript(
    db,
    `
    CREATE TABLE record_flows (
      record_id uuid NOT NULL REFERENCES records(id),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      agreement_id uuid NOT NULL REFERENCES agreements(id),
      first_read_at timestamptz NOT NULL,
      PRIMARY KEY (record_id, organization_id, agreement_id)
    );
    CREATE INDEX record_flows_agreement ON record_flows(agreement_id, first_read_at);
  `,
  );
}
