import type { Kysely } from 'kysely';
import { execScript } from '../script.js';

/**
 * Cross-jurisdiction matching (features/matching). Nothing here holds a raw name, date or
 * identifier: encodings are keyed ids and keyed Bloom filters made under a key whose secret is
 * sealed with the platform secret (ENTENTE_SECRET_KEY) and never leaves `match_keys`.
 *
 * - `match_keys`: blind keys by id; one active, older ones retiring until re-encoded.
 * - `match_queue`: records to (re-)encode and match, filled by triggers on `records`, so every
 *   writer (service, importer, retention, future ones) is covered in its own transaction.
 * - `match_entities`: one blind encoding per indexed record, with its prepared (weighted, packed)
 *   form for scoring; `match_postings`: blocking key → entity; `match_counts`: how many entities
 *   carry each keyed feature (rarity), with the population under the key id `#population`.
 * - `match_hits`: a pair of records of two organizations above the threshold; each side has its
 *   own state in the inbox. `match_disclosures`: requests to disclose, decisions and revocations;
 *   a disclosed request is the policy engine's third way to read.
 * - `match_check_usage`: fixed-window counters for the check rate limits, shared by processes.
 * - `match_xref_jobs` / `match_xref_results`: batch cross-referencing with progress.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execScript(
    db,
    `
    CREATE TABLE match_keys (
      id text PRIMARY KEY,
      sealed_secret text NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL,
      retired_at timestamptz,
      CHECK (status IN ('active', 'retiring', 'retired'))
    );
    CREATE UNIQUE INDEX match_keys_one_active ON match_keys ((status)) WHERE status = 'active';

    CREATE TABLE match_queue (
      record_id uuid PRIMARY KEY,
      queued_at timestamptz NOT NULL DEFAULT now()
    );

    -- Function bodies keep their semicolons inside lines: execScript splits on line-ending ones.
    CREATE FUNCTION match_enqueue_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO match_queue (record_id) SELECT id FROM inserted ON CONFLICT DO NOTHING; RETURN NULL; END $$;

    CREATE FUNCTION match_enqueue_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO match_queue (record_id)
        SELECT n.id FROM updated n JOIN previous o ON o.id = n.id
        WHERE n.version IS DISTINCT FROM o.version
           OR n.status IS DISTINCT FROM o.status
           OR n.tlp IS DISTINCT FROM o.tlp
           OR n.subject_category IS DISTINCT FROM o.subject_category
           OR n.owner_org_id IS DISTINCT FROM o.owner_org_id
           OR n.expires_at IS DISTINCT FROM o.expires_at
           OR n.purged_at IS DISTINCT FROM o.purged_at
        ON CONFLICT DO NOTHING; RETURN NULL; END $$;

    CREATE TRIGGER records_match_insert AFTER INSERT ON records
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION match_enqueue_inserted();
    CREATE TRIGGER records_match_update AFTER UPDATE ON records
      REFERENCING NEW TABLE AS updated OLD TABLE AS previous
      FOR EACH STATEMENT EXECUTE FUNCTION match_enqueue_updated();

    -- Records written before matching existed are matched once.
    INSERT INTO match_queue (record_id) SELECT id FROM records;

    CREATE TABLE match_entities (
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      record_id uuid PRIMARY KEY REFERENCES records(id),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      key_id text NOT NULL REFERENCES match_keys(id),
      kind text NOT NULL,
      record_version integer NOT NULL,
      encoding jsonb NOT NULL,
      packed bytea NOT NULL,
      indexed_at timestamptz NOT NULL
    );
    CREATE INDEX match_entities_org ON match_entities (organization_id, key_id);
    CREATE INDEX match_entities_key ON match_entities (key_id);

    CREATE TABLE match_postings (
      key text NOT NULL,
      entity bigint NOT NULL,
      organization_id uuid NOT NULL,
      PRIMARY KEY (key, entity)
    );
    CREATE INDEX match_postings_entity ON match_postings (entity);

    CREATE TABLE match_counts (
      key_id text NOT NULL,
      feature text NOT NULL,
      df integer NOT NULL,
      PRIMARY KEY (key_id, feature)
    );

    CREATE TABLE match_hits (
      id uuid PRIMARY KEY,
      reference text NOT NULL UNIQUE,
      record_a uuid NOT NULL REFERENCES records(id),
      org_a uuid NOT NULL REFERENCES organizations(id),
      record_b uuid NOT NULL REFERENCES records(id),
      org_b uuid NOT NULL REFERENCES organizations(id),
      score real NOT NULL,
      features text[] NOT NULL,
      capped_keys integer NOT NULL DEFAULT 0,
      key_id text NOT NULL,
      status text NOT NULL DEFAULT 'open',
      closed_reason text,
      state_a text NOT NULL DEFAULT 'new',
      state_b text NOT NULL DEFAULT 'new',
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK (record_a < record_b),
      CHECK (org_a <> org_b),
      CHECK (status IN ('open', 'closed')),
      CHECK (state_a IN ('new', 'seen', 'dismissed') AND state_b IN ('new', 'seen', 'dismissed')),
      UNIQUE (record_a, record_b)
    );
    CREATE INDEX match_hits_org_a ON match_hits (org_a, created_at DESC);
    CREATE INDEX match_hits_org_b ON match_hits (org_b, created_at DESC);
    CREATE INDEX match_hits_record_b ON match_hits (record_b);

    CREATE TABLE match_disclosures (
      id uuid PRIMARY KEY,
      reference text NOT NULL UNIQUE,
      hit_id uuid REFERENCES match_hits(id),
      record_id uuid NOT NULL REFERENCES records(id),
      owner_org_id uuid NOT NULL REFERENCES organizations(id),
      requester_org_id uuid NOT NULL REFERENCES organizations(id),
      requester_user_id uuid REFERENCES users(id),
      requester_record_id uuid REFERENCES records(id),
      check_score real,
      check_features text[],
      purpose text NOT NULL,
      justification text NOT NULL,
      status text NOT NULL,
      properties text[],
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_reason text,
      revoked_by uuid REFERENCES users(id),
      revoked_at timestamptz,
      revoke_reason text,
      deadline_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK (status IN ('pending', 'disclosed', 'declined', 'revoked', 'withdrawn')),
      CHECK (owner_org_id <> requester_org_id)
    );
    CREATE INDEX match_disclosures_owner ON match_disclosures (owner_org_id, status, deadline_at);
    CREATE INDEX match_disclosures_requester ON match_disclosures (requester_org_id, created_at DESC);
    CREATE INDEX match_disclosures_read ON match_disclosures (record_id, requester_org_id) WHERE status = 'disclosed';

    CREATE TABLE match_check_usage (
      scope text NOT NULL,
      window_start timestamptz NOT NULL,
      count integer NOT NULL,
      PRIMARY KEY (scope, window_start)
    );

    CREATE TABLE match_xref_jobs (
      id uuid PRIMARY KEY,
      organization_id uuid NOT NULL REFERENCES organizations(id),
      user_id uuid REFERENCES users(id),
      import_job_id uuid REFERENCES import_jobs(id),
      include_own boolean NOT NULL,
      status text NOT NULL,
      total integer NOT NULL DEFAULT 0,
      processed integer NOT NULL DEFAULT 0,
      results integer NOT NULL DEFAULT 0,
      capped_keys integer NOT NULL DEFAULT 0,
      failure text,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      finished_at timestamptz,
      heartbeat_at timestamptz NOT NULL,
      CHECK (status IN ('queued', 'running', 'done', 'failed'))
    );
    CREATE INDEX match_xref_jobs_org ON match_xref_jobs (organization_id, created_at DESC);

    CREATE TABLE match_xref_results (
      job_id uuid NOT NULL REFERENCES match_xref_jobs(id),
      seq integer NOT NULL,
      record_id uuid NOT NULL REFERENCES records(id),
      other_org_id uuid NOT NULL REFERENCES organizations(id),
      other_record_id uuid REFERENCES records(id),
      hit_id uuid REFERENCES match_hits(id),
      score real NOT NULL,
      features text[] NOT NULL,
      PRIMARY KEY (job_id, seq)
    );
    CREATE INDEX match_xref_results_score ON match_xref_results (job_id, score DESC, seq);
  `,
  );
}
