import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import {
  type AccessBasisKind,
  DATA_READER_ROLES,
  RESTRICTED_SUBJECT_CATEGORIES,
  type SubjectCategory,
  TLP_LABELS,
  type TlpLabel,
  tlpRank,
} from '../../domain/vocabulary.js';
import type { Executor } from '../db/db.js';
import type { Database } from '../db/schema.js';
import { agreementInForce } from './agreement-in-force.js';
import type { Reader } from './reader.js';

/**
 * The policy engine for governed objects: anything with one owning organization, a TLP label,
 * handling codes, crime areas, purposes, a data category, an optional data-subject category, a
 * status and an expiry (records today; alerts and messages later). Two faces of one rule set:
 * `decideRead` for one object (in TypeScript) and `readBasisSql` for lists (in SQL, applied by the
 * store inside its query). The access property test checks that they agree with each other and
 * with an oracle written from DOMAIN.md.
 *
 * The rules, in order:
 * 1. Only roles that read data (not `auditor`) read governed objects.
 * 2. The owner always reads its own objects, whatever their state.
 * 3. Retracted, expired or past-`expires_at` objects are invisible to everyone else.
 * 4. Organizations the owner named as recipients read it (the only way for TLP:RED and for
 *    victim, witness and informant data).
 * 5. TLP:RED and restricted data-subject categories never flow further.
 * 6. TLP:CLEAR has no limit: every organization on the platform reads it.
 * 7. Otherwise an agreement must be in force now (status pilot/active, within validity, pilot not
 *    ended) with both the owner and the reader as signed parties — or, except for TLP:AMBER+STRICT,
 *    the reader being a member of a signed party (TLP:AMBER "and its clients", TLP:GREEN "and their
 *    members") — whose scope contains the data category and shares a crime area and a purpose
 *    with the object, whose ceiling admits its label, and which allows H2 if the object is H2-coded.
 */
export interface GovernedObject {
  owner_org_id: string;
  tlp: string;
  handling_codes: string[];
  crime_areas: string[];
  purposes: string[];
  data_category: string;
  subject_category: string | null;
  status: string;
  expires_at: Date;
}

export type ReadDecision =
  | {
      allow: true;
      basis: AccessBasisKind;
      ref: string | null;
      /** With basis `disclosure`: the properties disclosed (null: the whole record). */
      properties?: string[] | null;
    }
  | { allow: false; reason: string };

/** An agreement with the parties' signature dates, as `decideRead` needs it. */
export interface AgreementFacts {
  id: string;
  reference: string;
  status: string;
  valid_from: Date;
  sunset_at: Date;
  pilot_ends_at: Date | null;
  crime_areas: string[];
  data_categories: string[];
  purposes: string[];
  ceiling_tlp: string;
  ceiling_h2_allowed: boolean;
  /** organization id → signature date (null while unsigned). */
  parties: Map<string, Date | null>;
}

export interface ReadFacts {
  /** Organizations the owner named as recipients of this object. */
  recipients: string[];
  /** Agreements that have the owner as a party. */
  agreements: AgreementFacts[];
  /**
   * Disclosures in force of this object (matching: the owner disclosed it to a requesting
   * organization after a hit). Loaded only for the paths that serve a disclosed record.
   */
  disclosures?: DisclosureFacts[];
}

/** One disclosure in force: to which organization, which properties (null: all). */
export interface DisclosureFacts {
  id: string;
  organizationId: string;
  properties: string[] | null;
}

function signedBy(parties: Map<string, Date | null>, org: string, now: Date): boolean {
  const signedAt = parties.get(org);
  return signedAt !== undefined && signedAt !== null && signedAt <= now;
}

/** True when the agreement lets this object flow from its owner to the reader at `now`. */
export function agreementCovers(a: AgreementFacts, obj: GovernedObject, reader: Reader, now: Date): boolean {
  if (!agreementInForce(a, now)) return false;
  if (!signedBy(a.parties, obj.owner_org_id, now)) return false;
  const readerIsParty = signedBy(a.parties, reader.orgId, now);
  const readerViaBody =
    obj.tlp !== 'TLP:AMBER+STRICT' && reader.memberOf.some((body) => signedBy(a.parties, body, now));
  if (!readerIsParty && !readerViaBody) return false;
  if (!a.data_categories.includes(obj.data_category)) return false;
  if (!obj.crime_areas.some((c) => a.crime_areas.includes(c))) return false;
  if (!obj.purposes.some((p) => a.purposes.includes(p))) return false;
  if (tlpRank(obj.tlp as TlpLabel) > tlpRank(a.ceiling_tlp as TlpLabel)) return false;
  if (obj.handling_codes.includes('H2') && !a.ceiling_h2_allowed) return false;
  return true;
}

/** Decides whether the reader may read one governed object at `now`, and on which basis. */
export function decideRead(reader: Reader, obj: GovernedObject, facts: ReadFacts, now: Date): ReadDecision {
  if (!reader.roles.some((r) => DATA_READER_ROLES.includes(r)))
    return { allow: false, reason: 'role_cannot_read_data' };
  if (obj.owner_org_id === reader.orgId) return { allow: true, basis: 'owner', ref: null };
  if (obj.status !== 'active' || obj.expires_at <= now) return { allow: false, reason: 'not_active' };
  if (facts.recipients.includes(reader.orgId)) return { allow: true, basis: 'named_recipient', ref: null };
  if (obj.tlp === 'TLP:RED') return { allow: false, reason: 'tlp_red_named_recipients_only' };
  if (
    obj.subject_category &&
    RESTRICTED_SUBJECT_CATEGORIES.includes(obj.subject_category as SubjectCategory)
  ) {
    return { allow: false, reason: 'restricted_subject_category' };
  }
  // The third way to read: the owner disclosed this object after a match (one decision per
  // requesting organization, revocable). Checked after the hard limits above, so a record later
  // made TLP:RED or restricted stops flowing even to those it was disclosed to.
  const disclosure = facts.disclosures?.find((d) => d.organizationId === reader.orgId);
  if (disclosure) {
    return { allow: true, basis: 'disclosure', ref: disclosure.id, properties: disclosure.properties };
  }
  if (obj.tlp === 'TLP:CLEAR') return { allow: true, basis: 'tlp_clear', ref: null };
  // Unknown labels never flow (deny by default), even if a row was written around validation.
  if (!(TLP_LABELS as readonly string[]).includes(obj.tlp)) return { allow: false, reason: 'unknown_label' };
  const covering = facts.agreements.filter((a) => agreementCovers(a, obj, reader, now));
  covering.sort((x, y) => x.reference.localeCompare(y.reference));
  const first = covering[0];
  if (first) return { allow: true, basis: 'agreement', ref: first.id };
  return { allow: false, reason: 'no_covering_agreement' };
}

function agreementsWithParties(db: Executor) {
  return db
    .selectFrom('agreements as a')
    .innerJoin('agreement_parties as p', 'p.agreement_id', 'a.id')
    .select([
      'a.id',
      'a.reference',
      'a.status',
      'a.valid_from',
      'a.sunset_at',
      'a.pilot_ends_at',
      'a.crime_areas',
      'a.data_categories',
      'a.purposes',
      'a.ceiling_tlp',
      'a.ceiling_h2_allowed',
      'p.organization_id',
      'p.signed_at',
    ]);
}

/** Agreements chosen by `where`, each with its parties' signature dates. */
async function loadAgreementFacts(
  db: Executor,
  where: (q: ReturnType<typeof agreementsWithParties>) => ReturnType<typeof agreementsWithParties>,
): Promise<AgreementFacts[]> {
  const rows = await where(agreementsWithParties(db)).execute();
  const byId = new Map<string, AgreementFacts>();
  for (const { organization_id, signed_at, ...agreement } of rows) {
    let a = byId.get(agreement.id);
    if (!a) {
      a = { ...agreement, parties: new Map() };
      byId.set(agreement.id, a);
    }
    a.parties.set(organization_id, signed_at);
  }
  return [...byId.values()];
}

/** Loads what `decideRead` needs about one object: its named recipients and the owner's agreements. */
export async function loadReadFacts(
  db: Executor,
  recipientsTable: 'record_recipients',
  objectId: string,
  ownerOrgId: string,
  options: { disclosures?: boolean } = {},
): Promise<ReadFacts> {
  const recipients = await db
    .selectFrom(recipientsTable)
    .select('organization_id')
    .where('record_id', '=', objectId)
    .execute();
  const agreements = await loadAgreementFacts(db, (q) =>
    q.where('a.id', 'in', (eb) =>
      eb.selectFrom('agreement_parties').select('agreement_id').where('organization_id', '=', ownerOrgId),
    ),
  );
  const facts: ReadFacts = { recipients: recipients.map((r) => r.organization_id), agreements };
  if (options.disclosures) {
    const rows = await db
      .selectFrom('match_disclosures')
      .select(['id', 'requester_org_id', 'properties'])
      .where('record_id', '=', objectId)
      .where('status', '=', 'disclosed')
      .orderBy('decided_at')
      .execute();
    // Several disclosures to one organization add up: the union of their properties (null: all),
    // under the id of the first.
    const byOrg = new Map<string, DisclosureFacts>();
    for (const r of rows) {
      const seen = byOrg.get(r.requester_org_id);
      if (!seen)
        byOrg.set(r.requester_org_id, {
          id: r.id,
          organizationId: r.requester_org_id,
          properties: r.properties,
        });
      else if (seen.properties !== null)
        seen.properties = r.properties === null ? null : [...new Set([...seen.properties, ...r.properties])];
    }
    facts.disclosures = [...byOrg.values()];
  }
  return facts;
}

const TLP_ARRAY = sql`ARRAY[${sql.join(TLP_LABELS.map((l) => sql.lit(l)))}]::text[]`;
const RESTRICTED_ARRAY = sql`ARRAY[${sql.join(RESTRICTED_SUBJECT_CATEGORIES.map((c) => sql.lit(c)))}]::text[]`;

/**
 * One agreement through which data may flow to the reader right now, reduced to what a list query
 * needs: whose data (the other signed parties), which data (scope and ceiling), and whether the
 * reader is a party itself (TLP:AMBER+STRICT) or only a member of a party.
 */
export interface AgreementFlow {
  id: string;
  reference: string;
  owners: string[];
  dataCategories: string[];
  crimeAreas: string[];
  purposes: string[];
  /** 1-based position of the ceiling in TLP_LABELS, as SQL's array_position counts. */
  ceilingPosition: number;
  h2Allowed: boolean;
  readerIsParty: boolean;
}

/** Everything a list query needs to filter by the policy: the reader, the moment, the flows. */
export interface ReadScope {
  reader: Reader;
  now: Date;
  flows: AgreementFlow[];
}

/**
 * Loads the agreements in force at `now` under which data can reach the reader (as a signed party,
 * or as a member of a signed party), once per request. Turning them into literal conditions keeps
 * list queries free of per-row subqueries, so the owner and scope indexes do the work at scale.
 */
export async function loadReadScope(db: Executor, reader: Reader, now: Date): Promise<ReadScope> {
  const readerOrgs = [reader.orgId, ...reader.memberOf];
  const agreements = await loadAgreementFacts(db, (q) =>
    q
      .where('a.status', 'in', ['pilot', 'active'])
      .where('a.id', 'in', (eb) =>
        eb
          .selectFrom('agreement_parties')
          .select('agreement_id')
          .where('organization_id', 'in', readerOrgs)
          .where('signed_at', 'is not', null)
          .where('signed_at', '<=', now),
      ),
  );
  const flows: AgreementFlow[] = [];
  for (const a of agreements) {
    if (!agreementInForce(a, now)) continue;
    const signed = [...a.parties].filter(([, at]) => at !== null && at <= now).map(([org]) => org);
    const readerIsParty = signed.includes(reader.orgId);
    if (!readerIsParty && !reader.memberOf.some((b) => signed.includes(b))) continue;
    if (!(TLP_LABELS as readonly string[]).includes(a.ceiling_tlp)) continue;
    flows.push({
      id: a.id,
      reference: a.reference,
      owners: signed,
      dataCategories: a.data_categories,
      crimeAreas: a.crime_areas,
      purposes: a.purposes,
      ceilingPosition: tlpRank(a.ceiling_tlp as TlpLabel) + 1,
      h2Allowed: a.ceiling_h2_allowed,
      readerIsParty,
    });
  }
  flows.sort((x, y) => x.reference.localeCompare(y.reference));
  return { reader, now, flows };
}

/** The SQL twin of `agreementCovers` for one flow and the object aliased `alias`. */
function flowCoversSql(f: AgreementFlow, alias: string): RawBuilder<boolean> {
  const o = (col: string) => sql.ref(`${alias}.${col}`);
  return sql<boolean>`(${o('owner_org_id')} = ANY(${sql.val(f.owners)}::uuid[])
      AND ${o('data_category')} = ANY(${sql.val(f.dataCategories)}::text[])
      AND ${o('crime_areas')} && ${sql.val(f.crimeAreas)}::text[]
      AND ${o('purposes')} && ${sql.val(f.purposes)}::text[]
      AND array_position(${TLP_ARRAY}, ${o('tlp')}) <= ${sql.lit(f.ceilingPosition)}
      ${f.h2Allowed ? sql`` : sql`AND NOT ('H2' = ANY(${o('handling_codes')}))`}
      ${f.readerIsParty ? sql`` : sql`AND ${o('tlp')} <> 'TLP:AMBER+STRICT'`})`;
}

/**
 * The id of the first agreement (by reference) that lets the object aliased `alias` flow to the
 * reader, or NULL: the SQL twin of `agreementCovers` over the scope's flows.
 */
export function coveringAgreementSql(scope: ReadScope, alias: string): RawBuilder<string | null> {
  if (scope.flows.length === 0) return sql<string | null>`NULL::uuid`;
  const cases = scope.flows.map((f) => sql`WHEN ${flowCoversSql(f, alias)} THEN ${sql.val(f.id)}::uuid`);
  return sql<string | null>`(CASE ${sql.join(cases, sql` `)} ELSE NULL END)`;
}

/**
 * The basis on which the reader sees the record aliased `alias` ('owner', 'named_recipient',
 * 'tlp_clear', 'agreement') or NULL when it may not: the SQL twin of `decideRead`. A list query
 * filters on `basis IS NOT NULL`, so rows are filtered in the database, never after the fact.
 */
export function readBasisSql(scope: ReadScope, alias: string): RawBuilder<string | null> {
  const { reader, now } = scope;
  if (!reader.roles.some((r) => DATA_READER_ROLES.includes(r))) return sql<string | null>`NULL::text`;
  const o = (col: string) => sql.ref(`${alias}.${col}`);
  const agreement =
    scope.flows.length === 0
      ? sql``
      : sql`WHEN ${sql.join(
          scope.flows.map((f) => flowCoversSql(f, alias)),
          sql` OR `,
        )} THEN 'agreement'`;
  return sql<string | null>`(CASE
    WHEN ${o('owner_org_id')} = ${reader.orgId} THEN 'owner'
    WHEN ${o('status')} <> 'active' OR ${o('expires_at')} <= ${now} THEN NULL
    WHEN EXISTS (SELECT 1 FROM record_recipients rr WHERE rr.record_id = ${o('id')} AND rr.organization_id = ${reader.orgId}) THEN 'named_recipient'
    WHEN ${o('tlp')} = 'TLP:RED' THEN NULL
    WHEN ${o('subject_category')} IS NOT NULL AND ${o('subject_category')} = ANY(${RESTRICTED_ARRAY}) THEN NULL
    WHEN ${o('tlp')} = 'TLP:CLEAR' THEN 'tlp_clear'
    WHEN array_position(${TLP_ARRAY}, ${o('tlp')}) IS NULL THEN NULL
    ${agreement}
    ELSE NULL
  END)`;
}

/** The list scope as a WHERE predicate: rows the reader may read at `now`. */
export function readScope(scope: ReadScope, alias: string) {
  return (_eb: ExpressionBuilder<Database, 'records'>): Expression<SqlBool> =>
    sql<SqlBool>`${readBasisSql(scope, alias)} IS NOT NULL`;
}
