import { randomBytes } from 'node:crypto';
import { type ExpressionBuilder, type Insertable, sql, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/db.js';
import { containsPattern } from '../../platform/db/like.js';
import type {
  AgreementEventsTable,
  AgreementRow,
  AgreementsTable,
  Database,
} from '../../platform/db/schema.js';
import type { AgreementReadScope } from './agreements.policy.js';
import type { OrgRef } from './agreements.schema.js';

let lastMs = 0;
let counter = 0;

/**
 * A UUIDv7: time-ordered, so history rows written in one transaction (same `at`) still list in
 * the order they were written. The wall clock is used for ordering only, never as domain time.
 */
export function timeOrderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((counter >> 8) & 0x0f);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type AgreementEb = ExpressionBuilder<Database & { a: AgreementsTable }, 'a'>;

/** The SQL face of `mayRead`: the agreement has the scope's organization as a party. */
function inScope(eb: AgreementEb, scope: AgreementReadScope) {
  switch (scope.kind) {
    case 'all':
      return eb.val(true);
    case 'party':
      return eb.exists(
        eb
          .selectFrom('agreement_parties as sp')
          .select('sp.agreement_id')
          .whereRef('sp.agreement_id', '=', 'a.id')
          .where('sp.organization_id', '=', scope.organizationId),
      );
  }
}

/** One agreement within the reader's scope (undefined when absent or unreadable); `forUpdate` locks the row. */
export async function findAgreement(
  ex: Executor,
  scope: AgreementReadScope,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<AgreementRow | undefined> {
  let q = ex
    .selectFrom('agreements as a')
    .selectAll('a')
    .where('a.id', '=', id)
    .where((eb) => inScope(eb, scope));
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface AgreementFilters {
  status?: string;
  kind?: string;
  party?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** A page of agreements within the reader's scope, filtered in SQL, newest change first, with the total. */
export async function listAgreements(
  ex: Executor,
  scope: AgreementReadScope,
  f: AgreementFilters,
): Promise<{ rows: AgreementRow[]; total: number }> {
  const base = ex.selectFrom('agreements as a').where((eb) => {
    const conds = [inScope(eb, scope)];
    if (f.status) conds.push(eb('a.status', '=', f.status));
    if (f.kind) conds.push(eb('a.kind', '=', f.kind));
    if (f.party) {
      const party = f.party;
      conds.push(
        eb.exists(
          eb
            .selectFrom('agreement_parties as fp')
            .select('fp.agreement_id')
            .whereRef('fp.agreement_id', '=', 'a.id')
            .where('fp.organization_id', '=', party),
        ),
      );
    }
    if (f.q && f.q.trim() !== '') {
      const pattern = containsPattern(f.q.trim());
      conds.push(eb.or([eb('a.title', 'ilike', pattern), eb('a.reference', 'ilike', pattern)]));
    }
    return eb.and(conds);
  });
  const [rows, count] = await Promise.all([
    base
      .selectAll('a')
      .orderBy('a.updated_at', 'desc')
      .orderBy('a.id', 'asc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface PartyRow {
  agreement_id: string;
  organization_id: string;
  signed_at: Date | null;
  signed_by: string | null;
}

/** The parties of the agreements, ordered by organization name. */
export async function partiesOf(ex: Executor, agreementIds: string[]): Promise<PartyRow[]> {
  if (agreementIds.length === 0) return [];
  return ex
    .selectFrom('agreement_parties as p')
    .innerJoin('organizations as o', 'o.id', 'p.organization_id')
    .select(['p.agreement_id', 'p.organization_id', 'p.signed_at', 'p.signed_by'])
    .where('p.agreement_id', 'in', agreementIds)
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
}

export interface ExtensionRow {
  id: string;
  agreement_id: string;
  proposed_by_org_id: string;
  proposed_by_user_id: string | null;
  new_sunset_at: Date;
  reason: string;
  status: string;
  created_at: Date;
  decided_at: Date | null;
}

/** The extensions of the agreements, oldest first. */
export async function extensionsOf(ex: Executor, agreementIds: string[]): Promise<ExtensionRow[]> {
  if (agreementIds.length === 0) return [];
  return ex
    .selectFrom('agreement_extensions')
    .selectAll()
    .where('agreement_id', 'in', agreementIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface ConsentRow {
  extension_id: string;
  organization_id: string;
  user_id: string | null;
  consented_at: Date;
}

/** The consents given to the extensions. */
export async function consentsOf(ex: Executor, extensionIds: string[]): Promise<ConsentRow[]> {
  if (extensionIds.length === 0) return [];
  return ex
    .selectFrom('agreement_extension_consents')
    .selectAll()
    .where('extension_id', 'in', extensionIds)
    .orderBy('consented_at')
    .execute();
}

export interface IncidentRow {
  id: string;
  agreement_id: string;
  reported_by_org_id: string;
  reported_by_user_id: string | null;
  description: string;
  reported_at: Date;
  resolved_at: Date | null;
}

/** The incidents reported on the agreements, oldest first. */
export async function incidentsOf(ex: Executor, agreementIds: string[]): Promise<IncidentRow[]> {
  if (agreementIds.length === 0) return [];
  return ex
    .selectFrom('agreement_incidents')
    .selectAll()
    .where('agreement_id', 'in', agreementIds)
    .orderBy('reported_at')
    .orderBy('id')
    .execute();
}

/** Organizations as embedded references, by id. */
export async function orgRefs(ex: Executor, ids: Iterable<string>): Promise<Map<string, OrgRef>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, OrgRef>();
  if (unique.length === 0) return out;
  const rows = await ex
    .selectFrom('organizations')
    .select(['id', 'slug', 'name', 'kind'])
    .where('id', 'in', unique)
    .execute();
  for (const r of rows)
    out.set(r.id, { id: r.id, slug: r.slug, name: r.name, kind: r.kind as OrgRef['kind'] });
  return out;
}

/** Users as `{ id, displayName }`, by id. */
export async function userRefs(
  ex: Executor,
  ids: Iterable<string>,
): Promise<Map<string, { id: string; displayName: string }>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, { id: string; displayName: string }>();
  if (unique.length === 0) return out;
  const rows = await ex
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', unique)
    .execute();
  for (const r of rows) out.set(r.id, { id: r.id, displayName: r.display_name });
  return out;
}

/** True when another agreement already uses the reference. */
export async function referenceTaken(ex: Executor, reference: string, exceptId?: string): Promise<boolean> {
  let q = ex.selectFrom('agreements').select('id').where('reference', '=', reference);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Inserts the agreement row. */
export async function insertAgreement(ex: Executor, row: Insertable<AgreementsTable>): Promise<void> {
  await ex.insertInto('agreements').values(row).execute();
}

/**
 * Updates the agreement and bumps its version, so every change (not only edits) invalidates a
 * client's stale copy. With `expectedVersion`, returns false when someone else changed it first.
 */
export async function updateAgreement(
  ex: Executor,
  id: string,
  at: Date,
  patch: Updateable<AgreementsTable>,
  expectedVersion?: number,
): Promise<boolean> {
  let q = ex
    .updateTable('agreements')
    .set({ ...patch, updated_at: at, version: sql<number>`version + 1` })
    .where('id', '=', id);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  const result = await q.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Replaces the parties with unsigned ones (terms changed, so earlier signatures no longer hold). */
export async function replaceParties(ex: Executor, agreementId: string, orgIds: string[]): Promise<void> {
  await ex.deleteFrom('agreement_parties').where('agreement_id', '=', agreementId).execute();
  await ex
    .insertInto('agreement_parties')
    .values(
      orgIds.map((o) => ({
        agreement_id: agreementId,
        organization_id: o,
        signed_at: null,
        signed_by: null,
      })),
    )
    .execute();
}

/** Records one party's signature. */
export async function signParty(
  ex: Executor,
  agreementId: string,
  orgId: string,
  userId: string,
  at: Date,
): Promise<void> {
  await ex
    .updateTable('agreement_parties')
    .set({ signed_at: at, signed_by: userId })
    .where('agreement_id', '=', agreementId)
    .where('organization_id', '=', orgId)
    .execute();
}

/** Appends one history row. */
export async function insertEvent(
  ex: Executor,
  e: Omit<Insertable<AgreementEventsTable>, 'id' | 'details'> & { details: Record<string, unknown> },
): Promise<string> {
  const id = timeOrderedId();
  await ex
    .insertInto('agreement_events')
    .values({ ...e, id, details: JSON.stringify(e.details) })
    .execute();
  return id;
}

export interface EventRow {
  id: string;
  at: Date;
  action: string;
  actor_user_id: string | null;
  actor_org_id: string | null;
  from_status: string | null;
  to_status: string | null;
  details: Record<string, unknown>;
}

/** The agreement's history, oldest first, in the order it was written. */
export async function historyOf(ex: Executor, agreementId: string): Promise<EventRow[]> {
  return ex
    .selectFrom('agreement_events')
    .selectAll()
    .where('agreement_id', '=', agreementId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Records an incident report. */
export async function insertIncident(ex: Executor, row: IncidentRow): Promise<void> {
  await ex.insertInto('agreement_incidents').values(row).execute();
}

/** Marks the open incidents resolved; returns their ids. */
export async function resolveOpenIncidents(ex: Executor, agreementId: string, at: Date): Promise<string[]> {
  const rows = await ex
    .updateTable('agreement_incidents')
    .set({ resolved_at: at })
    .where('agreement_id', '=', agreementId)
    .where('resolved_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Records a proposed extension. */
export async function insertExtension(ex: Executor, row: ExtensionRow): Promise<void> {
  await ex.insertInto('agreement_extensions').values(row).execute();
}

/** Records a party's consent to an extension. */
export async function insertConsent(ex: Executor, row: ConsentRow): Promise<void> {
  await ex.insertInto('agreement_extension_consents').values(row).execute();
}

/** Decides a pending extension (applied, declined or lapsed). Returns false when it was no longer pending. */
export async function decideExtension(
  ex: Executor,
  extensionId: string,
  status: 'applied' | 'declined' | 'lapsed',
  at: Date,
): Promise<boolean> {
  const r = await ex
    .updateTable('agreement_extensions')
    .set({ status, decided_at: at })
    .where('id', '=', extensionId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Lapses every pending extension of an agreement that has ended; returns their ids. */
export async function lapsePendingExtensions(ex: Executor, agreementId: string, at: Date): Promise<string[]> {
  const rows = await ex
    .updateTable('agreement_extensions')
    .set({ status: 'lapsed', decided_at: at })
    .where('agreement_id', '=', agreementId)
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Counts records exchanged under an agreement towards its `volume` review trigger. Called by the
 * features that move data under agreements, inside their own transaction.
 */
export async function addExchanged(ex: Executor, agreementId: string, count: number): Promise<void> {
  if (count <= 0) return;
  await ex
    .updateTable('agreements')
    .set({ exchanged_since_review: sql<number>`exchanged_since_review + ${count}` })
    .where('id', '=', agreementId)
    .execute();
}

/** Live agreements (ids after `afterId`, in id order) for the review job to evaluate, a batch at a time. */
export async function reviewCandidates(
  ex: Executor,
  statuses: readonly string[],
  afterId: string | null,
  limit: number,
  only?: readonly string[],
): Promise<AgreementRow[]> {
  if (only !== undefined && only.length === 0) return [];
  let q = ex
    .selectFrom('agreements')
    .selectAll()
    .where('status', 'in', [...statuses])
    .orderBy('id')
    .limit(limit);
  if (afterId !== null) q = q.where('id', '>', afterId);
  if (only !== undefined) q = q.where('id', 'in', [...only]);
  return q.execute();
}
