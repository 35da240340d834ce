import type { ColumnType, Generated, Insertable, RawBuilder, Selectable, Updateable } from 'kysely';

/** Timestamps are read as Date and written as Date. */
type Timestamp = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string, string>;

export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  short_name: string | null;
  kind: string;
  region: string;
  countries: string[];
  agency_type: string;
  crime_areas: string[];
  mfa_required: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganizationMembershipsTable {
  member_id: string;
  body_id: string;
  since: Timestamp;
}

export interface UsersTable {
  id: string;
  organization_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  locale: Generated<string>;
  mfa_secret: string | null;
  mfa_enabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  csrf_token: string;
  user_id: string;
  mfa_verified: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_prefix: string;
  token_hash: string;
  scopes: string[];
  expires_at: Timestamp;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** One review trigger of an agreement, stored as JSON. */
export type ReviewTrigger =
  | { kind: 'periodic'; months: number }
  | { kind: 'volume'; records: number }
  | { kind: 'incident' }
  | { kind: 'sunset'; days: number };

export interface AgreementsTable {
  id: string;
  reference: string;
  title: string;
  kind: string;
  status: string;
  description: Generated<string>;
  crime_areas: string[];
  data_categories: string[];
  purposes: string[];
  ceiling_tlp: string;
  ceiling_h2_allowed: Generated<boolean>;
  ceiling_onward_transfer: Generated<boolean>;
  matching_allowed: Generated<boolean>;
  max_retention_days: number | null;
  valid_from: Timestamp;
  sunset_at: Timestamp;
  pilot_ends_at: Timestamp | null;
  pilot_success_criteria: string | null;
  review_triggers: Json<ReviewTrigger[]>;
  last_reviewed_at: Timestamp | null;
  exchanged_since_review: Generated<number>;
  created_by_org_id: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AgreementPartiesTable {
  agreement_id: string;
  organization_id: string;
  signed_at: Timestamp | null;
  signed_by: string | null;
}

export interface AgreementEventsTable {
  id: string;
  agreement_id: string;
  at: Timestamp;
  action: string;
  actor_user_id: string | null;
  actor_org_id: string | null;
  from_status: string | null;
  to_status: string | null;
  details: Json<Record<string, unknown>>;
}

export interface AgreementExtensionsTable {
  id: string;
  agreement_id: string;
  proposed_by_org_id: string;
  proposed_by_user_id: string | null;
  new_sunset_at: Timestamp;
  reason: string;
  status: string;
  created_at: Timestamp;
  decided_at: Timestamp | null;
}

export interface AgreementExtensionConsentsTable {
  extension_id: string;
  organization_id: string;
  user_id: string | null;
  consented_at: Timestamp;
}

export interface AgreementIncidentsTable {
  id: string;
  agreement_id: string;
  reported_by_org_id: string;
  reported_by_user_id: string | null;
  description: string;
  reported_at: Timestamp;
  resolved_at: Timestamp | null;
}

/** FollowTheMoney properties: every property is a list of string values. */
export type FtmProperties = Record<string, string[]>;

export interface RecordsTable {
  id: string;
  owner_org_id: string;
  schema: string;
  caption: string;
  properties: Json<FtmProperties>;
  tlp: string;
  handling_codes: string[];
  handling_h3_text: string | null;
  evaluation_scheme: string;
  evaluation_source: string;
  evaluation_information: string;
  crime_areas: string[];
  purposes: string[];
  data_category: string;
  subject_category: string | null;
  status: string;
  retracted_reason: string | null;
  review_at: Timestamp;
  expires_at: Timestamp;
  external_id: string | null;
  search_text: Generated<string>;
  /**
   * Search columns (migrations 0005, 0007): every writer of a record's content sets them with
   * `searchColumnsFor` (features/records/records.search-columns.ts); required on insert.
   */
  search_tsv: ColumnType<string, RawBuilder<string>, RawBuilder<string>>;
  search_names: string;
  search_skeleton: ColumnType<string, RawBuilder<string>, RawBuilder<string>>;
  countries: string[];
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When the owner retracted it (migration 0004); null for records retracted before. */
  retracted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the owner last confirmed the record is still needed. */
  reviewed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The review date the `record.review_due` reminder went out for (once per date). */
  review_reminded_for: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the retention job erased the content (the row stays as a tombstone). */
  purged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface RecordRecipientsTable {
  record_id: string;
  organization_id: string;
  added_at: Timestamp;
  added_by: string | null;
}

export interface RecordFlowsTable {
  record_id: string;
  organization_id: string;
  agreement_id: string;
  first_read_at: Timestamp;
}

export interface RecordVersionsTable {
  record_id: string;
  version: number;
  at: Timestamp;
  action: string;
  actor_user_id: string | null;
  actor_org_id: string | null;
  snapshot: Json<Record<string, unknown>>;
}

export interface AuditLogTable {
  seq: ColumnType<string, string | number | bigint, never>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_org_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  owner_org_id: string | null;
  basis: string | null;
  basis_ref: string | null;
  outcome: string;
  ip: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface OutboxTable {
  id: Generated<string>;
  event_id: string;
  topic: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  sent_at: Timestamp | null;
  last_error: string | null;
}

export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: Timestamp;
  last_run_at: Timestamp | null;
}

/**
 * The whole database, as Kysely sees it. Features that own tables of their own add them with
 * module augmentation (`declare module '…/schema.js' { interface Database { … } }`) in their store.
 */
export interface Database {
  organizations: OrganizationsTable;
  organization_memberships: OrganizationMembershipsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  agreements: AgreementsTable;
  agreement_parties: AgreementPartiesTable;
  agreement_events: AgreementEventsTable;
  agreement_extensions: AgreementExtensionsTable;
  agreement_extension_consents: AgreementExtensionConsentsTable;
  agreement_incidents: AgreementIncidentsTable;
  records: RecordsTable;
  record_recipients: RecordRecipientsTable;
  record_flows: RecordFlowsTable;
  record_versions: RecordVersionsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  job_leases: JobLeasesTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type UserRow = Selectable<UsersTable>;
export type AgreementRow = Selectable<AgreementsTable>;
export type AgreementPartyRow = Selectable<AgreementPartiesTable>;
export type RecordRow = Selectable<RecordsTable>;
export type NewRecordRow = Insertable<RecordsTable>;
export type RecordUpdate = Updateable<RecordsTable>;
export type AuditRow = Selectable<AuditLogTable>;
