import { sql } from 'kysely';
import { coveringAgreementSql, type ReadScope, readBasisSql } from '../../platform/access/governed.js';
import type { Executor } from '../../platform/db/db.js';
import { containsPattern } from '../../platform/db/like.js';
import type { RecordRow } from '../../platform/db/schema.js';
import type { RecordListFilters } from './records.schema.js';

/** Who reads, when, and through which agreements: every store function that returns records to a reader takes one. */
export type RecordScope = ReadScope;

export interface ScopedRecordRow extends RecordRow {
  access_basis: string;
  access_ref: string | null;
}

export interface OrgRefRow {
  id: string;
  slug: string;
  name: string;
  kind: string;
}

/**
 * Loads one record by id with no access check. Only for the service, which passes the row to the
 * policy engine's `decideRead` before anything of it leaves.
 */
export function loadRecordForDecision(db: Executor, id: string): Promise<RecordRow | undefined> {
  return db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Lists the records the scope's reader may read, filtered in SQL by the policy engine's predicate,
 * newest first, with the basis of access for each row and the total count.
 */
export async function listReadableRecords(
  db: Executor,
  scope: RecordScope,
  filters: RecordListFilters,
): Promise<{ rows: ScopedRecordRow[]; total: number }> {
  const limit = filters.limit ?? 50;
  const offset = filters.offset ?? 0;
  const basis = readBasisSql(scope, 'r');
  let inner = db.selectFrom('records as r').selectAll('r').select(basis.as('access_basis'));
  if (filters.q && filters.q.trim().length > 0) {
    const pattern = containsPattern(filters.q.trim().toLowerCase().normalize('NFKC'));
    inner = inner.where('r.search_text', 'like', pattern);
  }
  if (filters.schema) inner = inner.where('r.schema', '=', filters.schema);
  if (filters.tlp) inner = inner.where('r.tlp', '=', filters.tlp);
  if (filters.crimeArea) inner = inner.where(sql<boolean>`${filters.crimeArea} = ANY(r.crime_areas)`);
  if (filters.owner) inner = inner.where('r.owner_org_id', '=', filters.owner);
  if (filters.status) inner = inner.where('r.status', '=', filters.status);
  const scoped = db.selectFrom(inner.as('s')).where('s.access_basis', 'is not', null);
  const [rows, count] = await Promise.all([
    scoped
      .selectAll('s')
      // The agreement behind an 'agreement' row (for the audit entry and "why I see this"),
      // computed for the page only, not for the count.
      .select(
        sql<
          string | null
        >`CASE WHEN s.access_basis = 'agreement' THEN ${coveringAgreementSql(scope, 's')} END`.as(
          'access_ref',
        ),
      )
      .orderBy('s.updated_at', 'desc')
      .orderBy('s.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    scoped.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst(),
  ]);
  return {
    rows: rows.map((row) => ({
      ...(row as RecordRow),
      access_basis: row.access_basis as string,
      access_ref: row.access_ref,
    })),
    total: Number(count?.n ?? 0),
  };
}

/** Organization references by id. */
export async function orgRefs(db: Executor, ids: string[]): Promise<Map<string, OrgRefRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('organizations')
    .select(['id', 'slug', 'name', 'kind'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Named recipients of a record (for its owner's view). */
export async function recipientIds(db: Executor, recordId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('record_recipients')
    .select('organization_id')
    .where('record_id', '=', recordId)
    .execute();
  return rows.map((r) => r.organization_id);
}

/**
 * Notes the first time a record reached an organization under an agreement, and counts it toward
 * the agreement's `volume` review trigger. Repeated reads do not count again.
 */
export async function recordFlows(
  db: Executor,
  now: Date,
  flows: { recordId: string; orgId: string; agreementId: string }[],
): Promise<void> {
  for (const f of flows) {
    const inserted = await db
      .insertInto('record_flows')
      .values({
        record_id: f.recordId,
        organization_id: f.orgId,
        agreement_id: f.agreementId,
        first_read_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('record_id')
      .executeTakeFirst();
    if (inserted) {
      await db
        .updateTable('agreements')
        .set((eb) => ({ exchanged_since_review: eb('exchanged_since_review', '+', 1) }))
        .where('id', '=', f.agreementId)
        .execute();
    }
  }
}

/**
 * The ids among `ids` that exist and that the scope's reader may read now (the policy engine's
 * list predicate, in one query). Missing and unreadable ids are alike absent: no existence leak.
 */
export async function readableIds(db: Executor, scope: RecordScope, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('records as r')
    .select('r.id')
    .where('r.id', 'in', [...new Set(ids)])
    .where(sql<boolean>`${readBasisSql(scope, 'r')} IS NOT NULL`)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** A record with the basis on which the scope's reader reads it and the covering agreement, if any. */
export interface BasisRow extends RecordRow {
  access_basis: string | null;
  access_ref: string | null;
}

/** The records with these ids, each with the reader's basis of access (null when unreadable). */
export async function recordsWithBasis(db: Executor, scope: RecordScope, ids: string[]): Promise<BasisRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('records as r')
    .selectAll('r')
    .select([readBasisSql(scope, 'r').as('access_basis'), coveringAgreementSql(scope, 'r').as('access_ref')])
    .where('r.id', 'in', [...new Set(ids)])
    .execute();
  return rows as BasisRow[];
}

/**
 * The link records (of the given schemata) whose end properties hold `id` and that the scope's reader
 * may read, newest first, at most `limit`. Containment on the GIN-indexed properties finds them; the
 * policy engine's predicate filters them in the same query, so unreadable links never leave SQL.
 */
export async function readableLinksTo(
  db: Executor,
  scope: RecordScope,
  id: string,
  schemata: Record<string, { source: string; target: string }>,
  limit: number,
): Promise<ScopedRecordRow[]> {
  const names = Object.keys(schemata);
  if (names.length === 0) return [];
  const props = [...new Set(Object.values(schemata).flatMap((s) => [s.source, s.target]))];
  const contains = props.map((p) => sql<boolean>`r.properties @> ${JSON.stringify({ [p]: [id] })}::jsonb`);
  const basis = readBasisSql(scope, 'r');
  const inner = db
    .selectFrom('records as r')
    .selectAll('r')
    .select([basis.as('access_basis'), coveringAgreementSql(scope, 'r').as('access_ref')])
    .where('r.schema', 'in', names)
    .where('r.id', '<>', id)
    .where(sql<boolean>`(${sql.join(contains, sql` OR `)})`);
  const rows = await db
    .selectFrom(inner.as('s'))
    .selectAll('s')
    .where('s.access_basis', 'is not', null)
    .orderBy('s.updated_at', 'desc')
    .orderBy('s.id')
    .limit(limit)
    .execute();
  return rows as ScopedRecordRow[];
}
