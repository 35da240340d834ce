import type { AppContext } from '../../context.js';
import { loadReadScope } from '../../platform/access/governed.js';
import { loadReader } from '../../platform/access/reader.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { invalid } from '../../platform/http/problem.js';
import { readAudit, toView } from '../records/records.service.js';
import { orgRefs, recordFlows } from '../records/records.store.js';
import { fuzzyText, highlightsFor, queryWords } from './search.highlight.js';
import type { SearchQueryT, SearchResultT, SearchSort } from './search.schema.js';
import { effectiveSort, type SearchParams, searchFacets, searchPage } from './search.store.js';

/** Request facts that go into the audit entry. */
export interface RequestInfo {
  ip?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CursorData {
  s: SearchSort;
  v: string;
  id: string;
}

/** An opaque cursor: the order it belongs to and the last row's sort value and id. */
export function encodeCursor(c: CursorData): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decodeCursor(raw: string, sort: SearchSort): { value: string; id: string } {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor', 'format', 'is not a cursor this search returned');
  }
  const c = data as Partial<CursorData> | null;
  if (!c || typeof c.v !== 'string' || typeof c.id !== 'string' || !UUID.test(c.id)) {
    throw invalid('cursor', 'format', 'is not a cursor this search returned');
  }
  if (c.s !== sort) throw invalid('cursor', 'sort', 'belongs to a search in another order');
  const validValue =
    sort === 'relevance'
      ? /^-?\d+(\.\d+)?$/.test(c.v)
      : sort === 'updated'
        ? !Number.isNaN(Date.parse(c.v))
        : c.v.length <= 4000;
  if (!validValue) throw invalid('cursor', 'format', 'is not a cursor this search returned');
  return { value: c.v, id: c.id };
}

/** Validates the query string into search parameters (400 on a bad cursor or date range). */
export function toSearchParams(query: SearchQueryT): SearchParams {
  const q = query.q?.trim() ? query.q.trim() : null;
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from > to) throw invalid('to', 'after_from', 'must not be before from');
  const base: SearchParams = {
    q,
    fuzzyText: q ? fuzzyText(q) : null,
    fuzzy: query.fuzzy ?? true,
    schema: query.schema,
    country: query.country,
    crimeArea: query.crimeArea,
    owner: query.owner,
    tlp: query.tlp,
    subjectCategory: query.subjectCategory,
    from,
    to,
    sort: query.sort ?? 'relevance',
    limit: query.limit ?? 20,
  };
  if (query.cursor) base.after = decodeCursor(query.cursor, effectiveSort(base));
  return base;
}

/**
 * Searches the records the actor may read: full text over names and text properties, fuzzy name
 * matching, filters with facet counts, and keyset pages. The policy scope is part of every query;
 * each returned record is audited as `record.read` (via search) and counted as a flow when it
 * reached the actor under an agreement, like the records list.
 */
export async function searchRecords(
  ctx: AppContext,
  actor: Actor,
  query: SearchQueryT,
  req: RequestInfo = {},
): Promise<SearchResultT> {
  const params = toSearchParams(query);
  const now = ctx.clock.now();
  const reader = await loadReader(ctx.db, actor);
  const scope = await loadReadScope(ctx.db, reader, now);
  // Independent statements: on PostgreSQL they run on two pooled connections at once (the page
  // and the facets each read every candidate of a broad fuzzy query); PGlite runs them in turn.
  const [page, { total, facets }] = await Promise.all([
    searchPage(ctx.db, scope, params),
    searchFacets(ctx.db, scope, params),
  ]);
  const rows = page.slice(0, params.limit);
  const last = rows[rows.length - 1];
  const nextCursor =
    page.length > params.limit && last
      ? encodeCursor({ s: effectiveSort(params), v: last.cursor_value, id: last.id })
      : null;
  if (rows.length > 0) {
    await ctx.db.transaction().execute(async (trx) => {
      await appendAudit(
        trx,
        now,
        rows.map((r) => readAudit(actor, r, r.access_basis, r.access_ref, 'search', req.ip)),
      );
      await recordFlows(
        trx,
        now,
        rows
          .filter((r) => r.access_basis === 'agreement' && r.access_ref)
          .map((r) => ({ recordId: r.id, orgId: actor.organizationId, agreementId: r.access_ref as string })),
      );
    });
  }
  const refs = await orgRefs(
    ctx.db,
    rows.map((r) => r.owner_org_id),
  );
  const words = queryWords(params.q ?? '');
  return {
    items: rows.map((r) => ({
      record: toView(actor, r, refs.get(r.owner_org_id), [], { basis: r.access_basis, ref: r.access_ref }),
      score: Number(r.score),
      highlights: highlightsFor(r.caption, r.properties, words, params.fuzzy),
    })),
    facets,
    total,
    nextCursor,
  };
}
