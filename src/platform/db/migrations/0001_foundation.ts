import type { Kysely } from 'kysely';
import { execScript } from '../script.js';

/**
 * The foundation schema: organizations, users and credentials, agreements with their history,
 * records, the audit chain and the event outbox. Arrays are PostgreSQL `text[]` so the policy
 * engine can express scope checks (`&&`, `<@`, `= ANY`) in SQL on PGlite and PostgreSQL alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execScript(
    db,
    `
    CREATE TABLE organizations (
      id uuid PRIMARY KEY,
      slug text NOT NULL UNIQUE,
      name text NOT NULL,
      short_name text,
      kind text NOT NULL,
      region text NOT NULL,
      countries text[] NOT NULL DEFAULT '{}',
      agency_type text NOT NULL,
      crime_areas text[] NOT NULL DEFAULT '{}',
      mfa_required boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    -- member_id is a member of body_id (a national agency of a regional body, a regional body of an international one).
    CREATE TABLE organization_memberships (
      member_id uuid NOT NULL REFERENCES organizations(id),
      body_id uuid NOT NULL REFERENCES organizations(id),
      since timestamptz NOT NULL,
      PRIMARY KEY (member_id, body_id),
      CHECK (member_id <> body_id)
    );
    CREATE INDEX organization_memberships_body ON organization_memberships(body_id);

    CREATE TABLE users (
      id uuid PRIMARY KEY,
      organization_id uuid NOT NULL REFERENCES organizations(id),
      email text NOT NULL UNIQUE,
      display_name text NOT NULL,
      password_hash text NOT NULL,
      roles text[] NOT NULL,
      locale text NOT NULL DEFAULT 'en',
      mfa_secret text,
      mfa_enabled boolean NOT NULL DEFAULT false,
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      disabled_at timestamptz,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX users_organization ON users(organization_id);

    CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      csrf_token text NOT NULL,
      user_id uuid NOT NULL REFERENCES users(id),
      mfa_verified boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      ip text,
      user_agent text
    );
    CREATE INDEX sessions_user ON sessions(user_id);

    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      name text NOT NULL,
      token_prefix text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      scopes text[] NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_tokens_user ON api_tokens(user_id);

    CREATE TABLE agreements (
      id uuid PRIMARY KEY,
      reference text NOT NULL UNIQUE,
      title text NOT NULL,
      kind text NOT NULL,
      status text NOT NULL,
      description text NOT NULL DEFAULT '',
      crime_areas text[] NOT NULL DEFAULT '{}',
      data_categories text[] NOT NULL DEFAULT '{}',
      purposes text[] NOT NULL DEFAULT '{}',
      ceiling_tlp text NOT NULL,
      ceiling_h2_allowed boolean NOT NULL DEFAULT false,
      ceiling_onward_transfer boolean NOT NULL DEFAULT false,
      matching_allowed boolean NOT NULL DEFAULT false,
      max_retention_days integer,
      valid_from timestamptz NOT NULL,
      sunset_at timestamptz NOT NULL,
      pilot_ends_at timestamptz,
      pilot_success_criteria text,
      review_triggers jsonb NOT NULL DEFAULT '[]',
      last_reviewed_at timestamptz,
      exchanged_since_review integer NOT NULL DEFAULT 0,
      created_by_org_id uuid NOT NULL REFERENCES organizations(id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX agreements_status ON agreements(status);

    CREATE TABLE agreement_parties (
      agreement_id uuid NOT NULL REFERENCES agreements(id),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      signed_at timestamptz,
      signed_by uuid REFERENCES users(id),
      PRIMARY KEY (agreement_id, organization_id)
    );
    CREATE INDEX agreement_parties_org ON agreement_parties(organization_id);

    -- Every change to an agreement, with the state before and after: the agreement's history.
    CREATE TABLE agreement_events (
      id uuid PRIMARY KEY,
      agreement_id uuid NOT NULL REFERENCES agreements(id),
      at timestamptz NOT NULL,
      action text NOT NULL,
      actor_user_id uuid REFERENCES users(id),
      actor_org_id uuid REFERENCES organizations(id),
      from_status text,
      to_status text,
      details jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX agreement_events_agreement ON agreement_events(agreement_id, at);

    CREATE TABLE agreement_extensions (
      id uuid PRIMARY KEY,
      agreement_id uuid NOT NULL REFERENCES agreements(id),
      proposed_by_org_id uuid NOT NULL REFERENCES organizations(id),
      proposed_by_user_id uuid REFERENCES users(id),
      new_sunset_at timestamptz NOT NULL,
      reason text NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL,
      decided_at timestamptz
    );
    CREATE INDEX agreement_extensions_agreement ON agreement_extensions(agreement_id);

    CREATE TABLE agreement_extension_consents (
      extension_id uuid NOT NULL REFERENCES agreement_extensions(id),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      user_id uuid REFERENCES users(id),
      consented_at timestamptz NOT NULL,
      PRIMARY KEY (extension_id, organization_id)
    );

    CREATE TABLE agreement_incidents (
      id uuid PRIMARY KEY,
      agreement_id uuid NOT NULL REFERENCES agreements(id),
      reported_by_org_id uuid NOT NULL REFERENCES organizations(id),
      reported_by_user_id uuid REFERENCES users(id),
      description text NOT NULL,
      reported_at timestamptz NOT NULL,
      resolved_at timestamptz
    );

    CREATE TABLE records (
      id uuid PRIMARY KEY,
      owner_org_id uuid NOT NULL REFERENCES organizations(id),
      schema text NOT NULL,
      caption text NOT NULL,
      properties jsonb NOT NULL,
      tlp text NOT NULL,
      handling_codes text[] NOT NULL DEFAULT '{}',
      handling_h3_text text,
      evaluation_scheme text NOT NULL,
      evaluation_source text NOT NULL,
      evaluation_information text NOT NULL,
      crime_areas text[] NOT NULL,
      purposes text[] NOT NULL,
      data_category text NOT NULL,
      subject_category text,
      status text NOT NULL,
      retracted_reason text,
      review_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      external_id text,
      search_text text NOT NULL DEFAULT '',
      version integer NOT NULL DEFAULT 1,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX records_owner ON records(owner_org_id, created_at DESC);
    CREATE INDEX records_status_expires ON records(status, expires_at);
    CREATE UNIQUE INDEX records_owner_external ON records(owner_org_id, external_id) WHERE external_id IS NOT NULL;

    -- Organizations the owner named as recipients (the only way TLP:RED and victim/witness/informant data flows).
    CREATE TABLE record_recipients (
      record_id uuid NOT NULL REFERENCES records(id),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      added_at timestamptz NOT NULL,
      added_by uuid REFERENCES users(id),
      PRIMARY KEY (record_id, organization_id)
    );
    CREATE INDEX record_recipients_org ON record_recipients(organization_id);

    -- Append-only, hash-chained. seq gives the order the chain is verified in.
    CREATE TABLE audit_log (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_user_id uuid,
      actor_org_id uuid,
      action text NOT NULL,
      object_type text,
      object_id text,
      owner_org_id uuid,
      basis text,
      basis_ref text,
      outcome text NOT NULL,
      ip text,
      details jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX audit_log_at ON audit_log(at);
    CREATE INDEX audit_log_actor_org ON audit_log(actor_org_id, seq);
    CREATE INDEX audit_log_owner_org ON audit_log(owner_org_id, seq);
    CREATE INDEX audit_log_object ON audit_log(object_type, object_id);

    -- Transactional outbox: written in the same transaction as the change it announces.
    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      sent_at timestamptz,
      last_error text
    );
    CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;

    -- Background job leases, so only one process runs a periodic job at a time.
    CREATE TABLE job_leases (
      name text PRIMARY KEY,
      holder text NOT NULL,
      expires_at timestamptz NOT NULL,
      last_run_at timestamptz
    );
  `,
  );
}
