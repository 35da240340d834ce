import type { ColumnType, Generated, Selectable } from 'kysely';

/*
 * Tables of cross-jurisdiction matching (migration 0008). None holds a raw value: encodings are
 * keyed ids and keyed Bloom filters; check queries are not stored at all.
 */

type Timestamp = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string, string>;

export interface MatchKeysTable {
  id: string;
  sealed_secret: string;
  status: 'active' | 'retiring' | 'retired';
  created_at: Timestamp;
  retired_at: Timestamp | null;
}

export interface MatchQueueTable {
  record_id: string;
  queued_at: Generated<Date>;
}

export interface MatchEntitiesTable {
  seq: ColumnType<string, never, never>;
  record_id: string;
  organization_id: string;
  key_id: string;
  kind: string;
  record_version: number;
  encoding: Json<unknown>;
  packed: Uint8Array;
  indexed_at: Timestamp;
}

export interface MatchPostingsTable {
  key: string;
  entity: string;
  organization_id: string;
}

export interface MatchCountsTable {
  key_id: string;
  feature: string;
  df: number;
}

export interface MatchHitsTable {
  id: string;
  reference: string;
  record_a: string;
  org_a: string;
  record_b: string;
  org_b: string;
  score: number;
  features: string[];
  capped_keys: Generated<number>;
  key_id: string;
  status: Generated<'open' | 'closed'>;
  closed_reason: string | null;
  state_a: Generated<HitState>;
  state_b: Generated<HitState>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type HitState = 'new' | 'seen' | 'dismissed';

export type DisclosureStatus = 'pending' | 'disclosed' | 'declined' | 'revoked' | 'withdrawn';

export interface MatchDisclosuresTable {
  id: string;
  reference: string;
  hit_id: string | null;
  record_id: string;
  owner_org_id: string;
  requester_org_id: string;
  requester_user_id: string | null;
  requester_record_id: string | null;
  /** Score and feature kinds of the check the request came from (no hit then). */
  check_score: number | null;
  check_features: string[] | null;
  purpose: string;
  justification: string;
  status: DisclosureStatus;
  properties: string[] | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  revoked_by: string | null;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
  deadline_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MatchCheckUsageTable {
  scope: string;
  window_start: Timestamp;
  count: number;
}

export interface MatchXrefJobsTable {
  id: string;
  organization_id: string;
  user_id: string | null;
  import_job_id: string | null;
  include_own: boolean;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: Generated<number>;
  processed: Generated<number>;
  results: Generated<number>;
  capped_keys: Generated<number>;
  failure: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  heartbeat_at: Timestamp;
}

export interface MatchXrefResultsTable {
  job_id: string;
  seq: number;
  record_id: string;
  other_org_id: string;
  other_record_id: string | null;
  hit_id: string | null;
  score: number;
  features: string[];
}

declare module '../../platform/db/schema.js' {
  interface Database {
    match_keys: MatchKeysTable;
    match_queue: MatchQueueTable;
    match_entities: MatchEntitiesTable;
    match_postings: MatchPostingsTable;
    match_counts: MatchCountsTable;
    match_hits: MatchHitsTable;
    match_disclosures: MatchDisclosuresTable;
    match_check_usage: MatchCheckUsageTable;
    match_xref_jobs: MatchXrefJobsTable;
    match_xref_results: MatchXrefResultsTable;
  }
}

export type MatchHitRow = Selectable<MatchHitsTable>;
export type MatchDisclosureRow = Selectable<MatchDisclosuresTable>;
export type MatchXrefJobRow = Selectable<MatchXrefJobsTable>;

/** The feature key under which `match_counts` holds the number of indexed entities of a key. */
export const POPULATION_FEATURE = '#population';
