/**
 * The shapes of the Entente API as docs/API-CONTRACT.md describes them. The web application reads
 * these; the server validates the same shapes with its TypeBox schemas.
 */
import type {
  AgreementKind,
  AgreementStatus,
  CrimeArea,
  DataCategory,
  EvaluationScheme,
  HandlingCode,
  Purpose,
  ReviewTriggerKind,
  Role,
  SubjectCategory,
  TlpLabel,
} from '../../../src/domain/vocabulary.js';

export interface Paged<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface OrgRef {
  id: string;
  slug: string;
  name: string;
  kind: string;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  locale: string;
  mfaEnabled: boolean;
  organization: { id: string; slug: string; name: string; kind: string; mfaRequired: boolean };
  permissions: string[];
}

export type MfaState = 'none' | 'verify' | 'enroll';

export interface LoginResult {
  user: Me;
  csrfToken: string;
  mfa: MfaState;
}

export interface SessionResult {
  user: Me;
  csrfToken: string | null;
}

export interface MfaEnrollmentStart {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export interface Organization {
  id: string;
  slug: string;
  name: string;
  shortName: string | null;
  kind: string;
  region: string;
  countries: string[];
  agencyType: string;
  crimeAreas: string[];
  mfaRequired: boolean;
  memberOf: OrgRef[];
  members: OrgRef[];
  permissions: string[];
}

export interface UserRef {
  id: string;
  displayName: string;
}

export type ReviewTrigger =
  | { kind: 'periodic'; months: number }
  | { kind: 'volume'; records: number }
  | { kind: 'incident' }
  | { kind: 'sunset'; days: number };

export interface ReviewTriggerInput {
  kind: ReviewTriggerKind;
  months?: number;
  records?: number;
  days?: number;
}

export interface AgreementExtension {
  id: string;
  proposedBy: { organization: OrgRef; user: UserRef | null };
  newSunsetAt: string;
  reason: string;
  status: 'pending' | 'applied' | 'declined' | 'lapsed';
  createdAt: string;
  decidedAt: string | null;
  consents: { organization: OrgRef; user: UserRef | null; consentedAt: string }[];
  awaiting: OrgRef[];
}

export interface AgreementIncident {
  id: string;
  reportedBy: { organization: OrgRef; user: UserRef | null };
  description: string;
  reportedAt: string;
  resolvedAt: string | null;
}

export interface Agreement {
  id: string;
  reference: string;
  title: string;
  kind: AgreementKind;
  status: AgreementStatus;
  description: string;
  parties: { organization: OrgRef; signedAt: string | null; signedBy: UserRef | null }[];
  scope: { crimeAreas: string[]; dataCategories: string[]; purposes: string[] };
  ceiling: { tlp: string; h2Allowed: boolean; onwardTransfer: boolean };
  matchingAllowed: boolean;
  maxRetentionDays: number | null;
  validFrom: string;
  sunsetAt: string;
  pilot: { endsAt: string; successCriteria: string } | null;
  reviewTriggers: ReviewTrigger[];
  lastReviewedAt: string | null;
  exchangedSinceReview: number;
  flowing: boolean;
  extensions: AgreementExtension[];
  incidents: AgreementIncident[];
  createdBy?: OrgRef;
  version: number;
  createdAt: string;
  updatedAt: string;
  permissions: string[];
}

export interface AgreementInput {
  reference?: string;
  title: string;
  kind: AgreementKind;
  description?: string;
  parties: string[];
  scope: { crimeAreas: CrimeArea[]; dataCategories: DataCategory[]; purposes: Purpose[] };
  ceiling: { tlp: TlpLabel; h2Allowed: boolean; onwardTransfer: boolean };
  matchingAllowed?: boolean;
  maxRetentionDays?: number | null;
  validFrom: string;
  sunsetAt: string;
  pilot?: { endsAt: string; successCriteria: string } | null;
  reviewTriggers?: ReviewTriggerInput[];
}

export interface AgreementHistoryEntry {
  id: string;
  at: string;
  action: string;
  actor: { user: UserRef | null; organization: OrgRef | null };
  fromStatus: string | null;
  toStatus: string | null;
  details: Record<string, unknown>;
}

export interface IntelRecord {
  id: string;
  schema: string;
  caption: string;
  properties: Record<string, string[]>;
  owner: OrgRef;
  handling: { tlp: string; codes: string[]; h3Text: string | null };
  evaluation: { scheme: string; source: string; information: string };
  crimeAreas: string[];
  purposes: string[];
  dataCategory: string;
  subjectCategory: string | null;
  status: string;
  retractedReason: string | null;
  reviewAt: string;
  expiresAt: string;
  externalId?: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  recipients: OrgRef[];
  access: { basis: string; ref: string | null };
  permissions: string[];
}

export interface RecordInput {
  schema: string;
  properties: Record<string, string[]>;
  handling: { tlp: TlpLabel; codes: HandlingCode[]; h3Text?: string | null };
  evaluation: { scheme: EvaluationScheme; source: string; information: string };
  crimeAreas: CrimeArea[];
  purposes: Purpose[];
  subjectCategory?: SubjectCategory | null;
  recipients?: string[];
  expiresAt?: string;
  externalId?: string;
}

export interface SchemaProperty {
  name: string;
  label: string;
  type: string;
}

export interface SchemaDescription {
  name: string;
  label: string;
  plural: string;
  dataCategory: string;
  isEdge: boolean;
  required: string[];
  featured: string[];
  properties: SchemaProperty[];
}

export interface AuditEntry {
  seq: string;
  at: string;
  actor: { userId: string | null; orgId: string | null; email?: string; orgName?: string };
  action: string;
  objectType: string | null;
  objectId: string | null;
  ownerOrgId: string | null;
  basis: string | null;
  basisRef: string | null;
  outcome: string;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  headHash: string;
  broken?: { seq: string; reason: string };
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  locale: string;
  mfaEnabled: boolean;
  disabled: boolean;
  disabledAt: string | null;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  organization: OrgRef;
  permissions: string[];
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

export interface ApiTokenCreated {
  id: string;
  token: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string;
  createdAt: string;
}

/** One field error of a problem+json answer. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** One change of a record version: a field (`properties.name`, `handling.tlp`, …) before and after. */
export interface RecordChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** One version of a record, as `GET /records/{id}/history` lists them (newest first). */
export interface RecordVersion {
  version: number;
  at: string;
  action: string;
  actor: { user: UserRef | null; organization: OrgRef | null };
  changes: RecordChange[];
}

/** A node of a record's link graph: a readable record, or a placeholder for one the reader may not see. */
export type LinkNode =
  | { id: string; schema: string; caption: string; tlp: string; restricted: false }
  | { id: null; key: string; restricted: true };

/** A link between two nodes (ids or placeholder keys). */
export interface LinkEdge {
  id: string;
  schema: string;
  source: string;
  target: string;
  label: string;
  tlp: string;
}

export interface RecordLinks {
  nodes: LinkNode[];
  edges: LinkEdge[];
}

/** The body of a 410 `record_retracted` answer: the tombstone, no content. */
export interface RecordTombstone {
  id: string;
  retractedAt: string | null;
  reason: string | null;
}

export interface FacetValue {
  value: string;
  count: number;
}

export type FacetName = 'schema' | 'country' | 'crimeArea' | 'owner' | 'tlp' | 'subjectCategory';

export interface SearchHit {
  record: IntelRecord;
  score: number;
  highlights: { field: string; fragment: string }[];
}

export interface SearchResult {
  items: SearchHit[];
  facets: Partial<Record<FacetName, FacetValue[]>>;
  total: number;
  nextCursor: string | null;
}

export type ImportFormat = 'ftm' | 'stix' | 'misp' | 'csv';
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ImportJob {
  id: string;
  format: ImportFormat;
  status: ImportStatus;
  bytesTotal: number;
  bytesRead: number;
  processed: number;
  created: number;
  updated: number;
  rejected: number;
  skipped: number;
  skippedByType: Record<string, number>;
  errors: { index: number; reason: string }[];
  startedAt: string | null;
  finishedAt: string | null;
  createdAt?: string;
  fileName?: string | null;
}

/** What a parser yields, as `POST /imports/preview` lists it. */
export type ImportParseEvent =
  | {
      type: 'entity';
      index: number;
      entity: { externalId: string; schema: string; properties: Record<string, string[]>; tlp?: string };
    }
  | { type: 'rejected'; index: number; reason: string }
  | { type: 'skipped'; index: number; objectType: string; reason: string };

export interface ImportPreview {
  items: ImportParseEvent[];
  columns?: string[];
}

export interface ImportMapping {
  id: string;
  name: string;
  schema: string;
  idColumn: string;
  columns: Record<string, string>;
  createdAt?: string;
}

/** The defaults an import applies where the file carries none (sent as the `x-entente-import-defaults` header). */
export interface ImportDefaults {
  tlp: TlpLabel;
  codes: HandlingCode[];
  h3Text?: string;
  evaluation: { scheme: EvaluationScheme; source: string; information: string };
  purposes: Purpose[];
  crimeAreas: CrimeArea[];
  subjectCategory?: SubjectCategory;
}

/** A record of the caller's own organization as the matching API names it (never another's). */
export interface MatchRecordRef {
  id: string;
  schema: string;
  caption: string;
  tlp: string;
}

export type HitStatus = 'open' | 'closed';
export type HitState = 'new' | 'seen' | 'dismissed';
export type DisclosureStatus = 'pending' | 'disclosed' | 'declined' | 'revoked' | 'withdrawn';

/** The caller's latest disclosure request on a hit. */
export interface DisclosureSummary {
  id: string;
  reference: string;
  status: DisclosureStatus;
  deadlineAt: string;
  overdue: boolean;
}

/** A match between the caller's record and a record of another organization, without its content. */
export interface MatchHit {
  id: string;
  reference: string;
  score: number;
  features: string[];
  cappedKeys: number;
  status: HitStatus;
  closedReason: string | null;
  state: HitState;
  createdAt: string;
  updatedAt: string;
  record: MatchRecordRef;
  otherOrganization: OrgRef;
  disclosure: DisclosureSummary | null;
}

/** A page of the matching API (`page` counts from 1). */
export interface MatchPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface HitList extends MatchPage<MatchHit> {
  unseen: number;
}

/** An entity to check, as FollowTheMoney properties. */
export interface MatchCheckInput {
  schema: string;
  properties: Record<string, string[]>;
}

export interface MatchCheckOrganization {
  organization: OrgRef;
  result: 'hit' | 'no_hit';
  reference?: string;
  score?: number;
  features?: string[];
}

export interface MatchCheckResult {
  checkedAt: string;
  cappedKeys: number;
  organizations: MatchCheckOrganization[];
}

export interface Disclosure {
  id: string;
  reference: string;
  status: DisclosureStatus;
  overdue: boolean;
  deadlineAt: string;
  createdAt: string;
  decidedAt: string | null;
  revokedAt: string | null;
  purpose: string;
  justification: string;
  decisionReason: string | null;
  revokeReason: string | null;
  /** The disclosed properties; null: the whole record. */
  properties: string[] | null;
  hit: { id: string; reference: string; score: number; features: string[] } | null;
  checkScore: number | null;
  checkFeatures: string[] | null;
  ownerOrganization: OrgRef;
  requesterOrganization: OrgRef;
  requester: { displayName: string } | null;
  box: 'incoming' | 'outgoing';
  ownRecord: MatchRecordRef | null;
  permissions: { decide: boolean; revoke: boolean; withdraw: boolean };
}

/** One disclosure with the records each side may see: `review` (owner), `own` and `disclosed` (requester). */
export interface DisclosureDetail extends Disclosure {
  review?: IntelRecord;
  disclosed?: IntelRecord;
  own?: IntelRecord;
}

export interface DisclosureList extends MatchPage<Disclosure> {
  pendingIncoming: number;
  overdueIncoming: number;
}

export interface DisclosureRequestInput {
  hitId?: string;
  checkReference?: string;
  purpose: Purpose;
  justification: string;
}

export interface DisclosureDecisionInput {
  decision: 'disclose' | 'decline';
  properties?: string[];
  reason?: string;
}

export type XrefStatus = 'queued' | 'running' | 'done' | 'failed';

export interface XrefJob {
  id: string;
  status: XrefStatus;
  total: number;
  processed: number;
  results: number;
  cappedKeys: number;
  includeOwn: boolean;
  importJobId: string | null;
  failure: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface XrefResult {
  record: MatchRecordRef;
  otherOrganization: OrgRef;
  /** The other record, for duplicates inside the caller's own organization only. */
  otherRecord: MatchRecordRef | null;
  hit: { id: string; reference: string } | null;
  score: number;
  features: string[];
}

export interface MatchStatus {
  indexed: number;
  queued: number;
  partners: OrgRef[];
  threshold: number;
  maxPostings: number;
  activeKey: string;
}
