import { randomBytes, randomUUID } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { RESTRICTED_SUBJECT_CATEGORIES } from '../../domain/vocabulary.js';
import { agreementInForce } from '../../platform/access/agreement-in-force.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/db.js';
import type { Database } from '../../platform/db/schema.js';
import { emit } from '../../platform/events/outbox.js';
import { type BlindEncoder, blockingKeysOf, type EncodedEntity, featureIdsOf } from './blind.js';
import { matchInputOf } from './input.js';
import { activeEncoder, retireDrainedKeys } from './matching.keys.js';
import { POPULATION_FEATURE } from './matching.store.js';
import {
  type CandidateOptions,
  DEFAULT_CANDIDATES,
  DEFAULT_HIT_THRESHOLD,
  matchedFeatures,
  newScoreDetail,
  type PreparedEntity,
  packPrepared,
  prepareEntity,
  type RarityTable,
  scorePair,
  unpackPrepared,
} from './score.js';

/*
 * The matching engine on the database: indexing blind encodings, candidate search by blocking
 * keys in SQL, scoring in TypeScript, and hits. It mirrors `CandidateIndex` (score.ts), the
 * in-memory reference the evaluation also runs: postings per blocking key, keys carried by more
 * than `maxPostings` entities skipped (and counted: the visible cap), each shared key worth its
 * type weight × (1 + ln(N/df)), the best `maxCandidates` scored.
 *
 * Which records are indexed: active, unexpired, unpurged records that are not TLP:RED and not
 * about a victim, witness or informant. A hit reveals that a record exists; TLP:RED limits even
 * that to named recipients, and the restricted subject categories must never be found by others.
 */

export interface EngineOptions {
  candidates: CandidateOptions;
  /** Score at or above which a pair is a hit. */
  threshold: number;
}

export const DEFAULT_ENGINE: EngineOptions = {
  candidates: DEFAULT_CANDIDATES,
  threshold: DEFAULT_HIT_THRESHOLD,
};

/** One candidate above the threshold (or every scored candidate, for a ranked list). */
export interface MatchResult {
  entitySeq: string;
  recordId: string;
  organizationId: string;
  score: number;
  features: string[];
}

/** A query for the engine: an encoding and the organizations it may be compared with. */
export interface EngineQuery {
  encoded: EncodedEntity;
  /** Organizations whose records may be candidates. */
  organizations: readonly string[];
  /** The query's own record, never its own candidate. */
  recordId?: string;
}

export interface EngineAnswer {
  results: MatchResult[];
  /** Blocking keys left out as over-common for this query. */
  cappedKeys: number;
  candidates: number;
}

/** Counts of keyed features as a rarity table. */
class CountTable implements RarityTable {
  constructor(
    readonly population: number,
    private readonly counts: Map<string, number>,
  ) {}
  count(id: string): number {
    return this.counts.get(id) ?? 0;
  }
}

async function loadCounts(db: Executor, keyId: string, features: Iterable<string>): Promise<CountTable> {
  const wanted = [...new Set([...features, POPULATION_FEATURE])];
  const rows = await db
    .selectFrom('match_counts')
    .select(['feature', 'df'])
    .where('key_id', '=', keyId)
    .where('feature', '=', sql<string>`ANY(${sql.val(wanted)}::text[])`)
    .execute();
  const counts = new Map(rows.map((r) => [r.feature, r.df]));
  const population = counts.get(POPULATION_FEATURE) ?? 0;
  return new CountTable(population, counts);
}

/**
 * Candidates and scores for a set of queries sharing one key, in two statements (counts, then
 * candidates with their packed encodings), scored here. Results at or above `threshold`, best
 * first; `threshold` 0 returns every scored candidate.
 */
export async function searchEncoded(
  db: Executor,
  keyId: string,
  queries: readonly EngineQuery[],
  options: EngineOptions = DEFAULT_ENGINE,
): Promise<EngineAnswer[]> {
  const answers: EngineAnswer[] = queries.map(() => ({ results: [], cappedKeys: 0, candidates: 0 }));
  if (queries.length === 0) return answers;
  const all = new Set<string>();
  for (const q of queries) {
    for (const f of featureIdsOf(q.encoded)) all.add(f);
    for (const k of blockingKeysOf(q.encoded)) all.add(k);
  }
  const counts = await loadCounts(db, keyId, all);
  const n = Math.max(counts.population, 1);
  const qi: number[] = [];
  const keys: string[] = [];
  const weights: number[] = [];
  const orgs: string[] = [];
  const orgQuery: number[] = [];
  const { typeWeights, maxPostings, maxCandidates } = options.candidates;
  queries.forEach((q, i) => {
    if (q.organizations.length === 0) return;
    for (const key of new Set(blockingKeysOf(q.encoded))) {
      const df = counts.count(key);
      if (df === 0) continue;
      if (df > maxPostings) {
        answers[i]!.cappedKeys++;
        continue;
      }
      qi.push(i);
      keys.push(key);
      weights.push((typeWeights[key[0]!] ?? 1) * (Math.log(n / df) + 1));
    }
    for (const org of q.organizations) {
      orgQuery.push(i);
      orgs.push(org);
    }
  });
  if (keys.length === 0) return answers;
  const ranked = await sql<{ i: number; seq: string }>`
    WITH q AS (SELECT * FROM unnest(${sql.val(qi)}::int[], ${sql.val(keys)}::text[], ${sql.val(weights)}::float8[]) AS q(i, k, w)),
    allowed AS (SELECT * FROM unnest(${sql.val(orgQuery)}::int[], ${sql.val(orgs)}::uuid[]) AS a(i, org)),
    -- Postings first (by the key index), then the organizations allowed: planned the other way
    -- round, the join would pair every allowed organization with all of its postings.
    found AS MATERIALIZED (
      SELECT q.i, q.w, p.entity, p.organization_id FROM q JOIN match_postings p ON p.key = q.k
    ),
    summed AS (
      SELECT f.i, f.entity, sum(f.w) AS s
      FROM found f
      WHERE EXISTS (SELECT 1 FROM allowed a WHERE a.i = f.i AND a.org = f.organization_id)
      GROUP BY f.i, f.entity
    ),
    ranked AS (
      SELECT i, entity, row_number() OVER (PARTITION BY i ORDER BY s DESC, entity) AS rn FROM summed
    )
    SELECT i, entity::text AS seq FROM ranked WHERE rn <= ${maxCandidates}
  `.execute(db);
  if (ranked.rows.length === 0) return answers;
  // Each candidate entity is fetched and unpacked once per call, however many queries it serves.
  const seqs = [...new Set(ranked.rows.map((r) => r.seq))];
  const entities = await sql<{ seq: string; record_id: string; organization_id: string; packed: Uint8Array }>`
    SELECT seq::text AS seq, record_id, organization_id, packed FROM match_entities
    WHERE seq = ANY(${sql.val(seqs)}::bigint[]) AND key_id = ${keyId}
  `.execute(db);
  const entityOf = new Map(entities.rows.map((e) => [e.seq, e]));
  const unpacked = new Map<string, PreparedEntity>();
  const prepared = new Map<number, PreparedEntity>();
  const detail = newScoreDetail();
  for (const row of ranked.rows) {
    const entity = entityOf.get(row.seq);
    if (!entity) continue;
    const q = queries[row.i]!;
    if (q.recordId === entity.record_id) continue;
    let query = prepared.get(row.i);
    if (!query) {
      query = prepareEntity(q.encoded, counts);
      prepared.set(row.i, query);
    }
    let candidate = unpacked.get(row.seq);
    if (!candidate) {
      candidate = unpackPrepared(entity.packed);
      unpacked.set(row.seq, candidate);
    }
    const answer = answers[row.i]!;
    answer.candidates++;
    const score = scorePair(query, candidate, detail);
    if (score < options.threshold || score === 0) continue;
    answer.results.push({
      entitySeq: row.seq,
      recordId: entity.record_id,
      organizationId: entity.organization_id,
      score,
      features: matchedFeatures(detail, query),
    });
  }
  for (const a of answers)
    a.results.sort((x, y) => y.score - x.score || x.recordId.localeCompare(y.recordId));
  return answers;
}

/** Organizations an organization may match with now: signed parties with it to an agreement in force that allows matching. */
export async function matchingPartners(db: Executor, orgId: string, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('agreements as a')
    .innerJoin('agreement_parties as mine', 'mine.agreement_id', 'a.id')
    .innerJoin('agreement_parties as other', 'other.agreement_id', 'a.id')
    .select(['a.status', 'a.valid_from', 'a.sunset_at', 'a.pilot_ends_at', 'other.organization_id'])
    .where('a.matching_allowed', '=', true)
    .where('mine.organization_id', '=', orgId)
    .where('mine.signed_at', '<=', now)
    .where('other.organization_id', '<>', orgId)
    .where('other.signed_at', '<=', now)
    .execute();
  return [...new Set(rows.filter((r) => agreementInForce(r, now)).map((r) => r.organization_id))].sort();
}

/** A record as the indexer reads it. */
interface IndexSource {
  id: string;
  owner_org_id: string;
  schema: string;
  properties: Record<string, string[]>;
  status: string;
  tlp: string;
  subject_category: string | null;
  expires_at: Date;
  purged_at: Date | null;
  version: number;
  countries: string[] | null;
}

/** Whether a record may be found by other organizations (see the header). */
export function indexable(
  r: Pick<IndexSource, 'status' | 'tlp' | 'subject_category' | 'expires_at' | 'purged_at'>,
  now: Date,
): boolean {
  return (
    r.status === 'active' &&
    r.expires_at > now &&
    r.purged_at === null &&
    r.tlp !== 'TLP:RED' &&
    !(
      r.subject_category !== null &&
      (RESTRICTED_SUBJECT_CATEGORIES as readonly string[]).includes(r.subject_category)
    )
  );
}

/** Encodes a record for matching, or null when it carries nothing to match on. */
export function encodeRecord(
  encoder: BlindEncoder,
  r: Pick<IndexSource, 'schema' | 'properties'>,
  ownerCountry?: string,
): EncodedEntity | null {
  const encoded = encoder.encode(matchInputOf(r.schema, r.properties, ownerCountry));
  if (encoded.names.length === 0 && encoded.identifiers.length === 0) return null;
  return encoded;
}

async function applyCounts(db: Executor, keyId: string, deltas: Map<string, number>): Promise<void> {
  const features: string[] = [];
  const values: number[] = [];
  // Sorted: concurrent writers take the row locks in one order.
  for (const [f, d] of [...deltas].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (d === 0) continue;
    features.push(f);
    values.push(d);
  }
  if (features.length === 0) return;
  await sql`
    INSERT INTO match_counts (key_id, feature, df)
    SELECT ${keyId}, f, d FROM unnest(${sql.val(features)}::text[], ${sql.val(values)}::int[]) AS t(f, d)
    ON CONFLICT (key_id, feature) DO UPDATE SET df = match_counts.df + excluded.df
  `.execute(db);
}

function addDelta(deltas: Map<string, Map<string, number>>, keyId: string, e: EncodedEntity, sign: 1 | -1) {
  let m = deltas.get(keyId);
  if (!m) {
    m = new Map();
    deltas.set(keyId, m);
  }
  for (const f of featureIdsOf(e)) m.set(f, (m.get(f) ?? 0) + sign);
  for (const k of new Set(blockingKeysOf(e))) m.set(k, (m.get(k) ?? 0) + sign);
  m.set(POPULATION_FEATURE, (m.get(POPULATION_FEATURE) ?? 0) + sign);
}

/** Removes records from the index (postings, counts, entity rows). Returns those that were indexed. */
async function unindex(db: Executor, recordIds: readonly string[]): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const old = await db
    .deleteFrom('match_entities')
    .where('record_id', 'in', recordIds)
    .returning(['seq', 'record_id', 'key_id', 'encoding'])
    .execute();
  if (old.length === 0) return new Set();
  await db
    .deleteFrom('match_postings')
    .where(
      'entity',
      'in',
      old.map((o) => o.seq),
    )
    .execute();
  const deltas = new Map<string, Map<string, number>>();
  for (const o of old) addDelta(deltas, o.key_id, o.encoding as EncodedEntity, -1);
  for (const [keyId, m] of deltas) await applyCounts(db, keyId, m);
  return new Set(old.map((o) => o.record_id));
}

export interface IndexedEntity {
  recordId: string;
  organizationId: string;
  seq: string;
  encoded: EncodedEntity;
}

/**
 * Indexes encodings under the encoder's key: counts first (so the packed weights include the new
 * entities), then entities and postings. The records must not be indexed already.
 */
async function indexEncoded(
  db: Executor,
  keyId: string,
  items: readonly { recordId: string; organizationId: string; version: number; encoded: EncodedEntity }[],
  now: Date,
): Promise<IndexedEntity[]> {
  if (items.length === 0) return [];
  const deltas = new Map<string, Map<string, number>>();
  for (const it of items) addDelta(deltas, keyId, it.encoded, 1);
  await applyCounts(db, keyId, deltas.get(keyId)!);
  const counts = await loadCounts(db, keyId, deltas.get(keyId)!.keys());
  const inserted = await db
    .insertInto('match_entities')
    .values(
      items.map((it) => ({
        record_id: it.recordId,
        organization_id: it.organizationId,
        key_id: keyId,
        kind: it.encoded.kind,
        record_version: it.version,
        encoding: JSON.stringify(it.encoded),
        packed: Buffer.from(packPrepared(prepareEntity(it.encoded, counts))),
        indexed_at: now,
      })),
    )
    .returning(['seq', 'record_id'])
    .execute();
  const seqOf = new Map(inserted.map((r) => [r.record_id, String(r.seq)]));
  const pk: string[] = [];
  const pe: string[] = [];
  const po: string[] = [];
  const out: IndexedEntity[] = [];
  for (const it of items) {
    const seq = seqOf.get(it.recordId)!;
    out.push({ recordId: it.recordId, organizationId: it.organizationId, seq, encoded: it.encoded });
    for (const key of new Set(blockingKeysOf(it.encoded))) {
      pk.push(key);
      pe.push(seq);
      po.push(it.organizationId);
    }
  }
  if (pk.length > 0) {
    await sql`
      INSERT INTO match_postings (key, entity, organization_id)
      SELECT * FROM unnest(${sql.val(pk)}::text[], ${sql.val(pe)}::bigint[], ${sql.val(po)}::uuid[])
    `.execute(db);
  }
  return out;
}

/**
 * A reference people quote on the phone ("H-7KQ2-M9XD" for a hit, "D-…" for a disclosure): about
 * 40 random bits in an alphabet without look-alike characters.
 */
export function shortReference(prefix: 'H' | 'D'): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const bytes = randomBytes(8);
  let s = '';
  for (let i = 0; i < 8; i++) s += alphabet[bytes[i]! % alphabet.length];
  return `${prefix}-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** A score as shown and audited: three decimals. */
export function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/**
 * Serialises everything that writes hits (queue batches, cross-reference batches) across
 * processes, for the rest of the transaction: two batches never miss each other's records.
 */
export async function lockMatching(trx: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(727411)`.execute(trx);
}

export interface HitChange {
  created: number;
  updated: number;
  closed: number;
}

/** The answer of one indexed record, for `writeHits`. */
export interface RecordAnswer {
  recordId: string;
  organizationId: string;
  answer: EngineAnswer;
}

interface PairHit {
  a: string;
  b: string;
  orgA: string;
  orgB: string;
  result: MatchResult;
  capped: number;
}

/**
 * Writes the hits of a batch of matched records in a few statements: creates or refreshes a hit
 * per pair found (a pair found from both sides counts once, at its best score), and closes the
 * open hits of these records that were not found again. New and reopened hits are announced to
 * both owners (outbox) and audited; neither announcement carries anything of a record. Returns,
 * per record, the hit id of each record it was found with.
 */
export async function writeHits(
  db: Executor,
  keyId: string,
  items: readonly RecordAnswer[],
  now: Date,
): Promise<HitChange & { hitIds: Map<string, Map<string, string>> }> {
  const change = { created: 0, updated: 0, closed: 0, hitIds: new Map<string, Map<string, string>>() };
  if (items.length === 0) return change;
  const pairs = new Map<string, PairHit>();
  for (const { recordId, organizationId, answer } of items) {
    for (const r of answer.results) {
      if (r.organizationId === organizationId) continue;
      const first = recordId < r.recordId;
      const pair: PairHit = {
        a: first ? recordId : r.recordId,
        b: first ? r.recordId : recordId,
        orgA: first ? organizationId : r.organizationId,
        orgB: first ? r.organizationId : organizationId,
        result: r,
        capped: answer.cappedKeys,
      };
      const key = `${pair.a}|${pair.b}`;
      const seen = pairs.get(key);
      if (!seen || seen.result.score < r.score) pairs.set(key, pair);
    }
  }
  const ids = items.map((i) => i.recordId);
  const existing = await db
    .selectFrom('match_hits')
    .select(['id', 'reference', 'record_a', 'record_b', 'status'])
    .where((eb) => eb.or([eb('record_a', 'in', ids), eb('record_b', 'in', ids)]))
    .execute();
  const existingOf = new Map(existing.map((h) => [`${h.record_a}|${h.record_b}`, h]));
  const inserts: Insertable<Database['match_hits']>[] = [];
  const announced: { id: string; reference: string; pair: PairHit }[] = [];
  const hitOf = new Map<string, string>();
  for (const [key, p] of pairs) {
    const old = existingOf.get(key);
    if (old) {
      await db
        .updateTable('match_hits')
        .set({
          // A record may have changed owner since the hit was made.
          org_a: p.orgA,
          org_b: p.orgB,
          score: p.result.score,
          features: p.result.features,
          capped_keys: p.capped,
          key_id: keyId,
          status: 'open',
          closed_reason: null,
          updated_at: now,
          // A reopened hit is news to both sides again.
          ...(old.status === 'closed' ? { state_a: 'new' as const, state_b: 'new' as const } : {}),
        })
        .where('id', '=', old.id)
        .execute();
      if (old.status === 'closed') announced.push({ id: old.id, reference: old.reference, pair: p });
      hitOf.set(key, old.id);
      change.updated++;
    } else {
      const id = randomUUID();
      const reference = shortReference('H');
      inserts.push({
        id,
        reference,
        record_a: p.a,
        org_a: p.orgA,
        record_b: p.b,
        org_b: p.orgB,
        score: p.result.score,
        features: p.result.features,
        capped_keys: p.capped,
        key_id: keyId,
        closed_reason: null,
        created_at: now,
        updated_at: now,
      });
      announced.push({ id, reference, pair: p });
      hitOf.set(key, id);
      change.created++;
    }
  }
  if (inserts.length > 0) await db.insertInto('match_hits').values(inserts).execute();
  const toClose = existing
    .filter((h) => h.status === 'open' && !pairs.has(`${h.record_a}|${h.record_b}`))
    .map((h) => h.id);
  if (toClose.length > 0) {
    await db
      .updateTable('match_hits')
      .set({ status: 'closed', closed_reason: 'no_longer_matching', updated_at: now })
      .where('id', 'in', toClose)
      .execute();
    change.closed = toClose.length;
  }
  for (const a of announced) {
    const { pair: p } = a;
    await emit(db, now, 'match.hit', {
      hitId: a.id,
      reference: a.reference,
      organizations: [p.orgA, p.orgB],
      score: p.result.score,
      features: p.result.features,
    });
  }
  if (announced.length > 0) {
    await appendAudit(
      db,
      now,
      announced.map(({ id, reference, pair: p }) => ({
        action: 'match.hit_created',
        objectType: 'match_hit',
        objectId: id,
        ownerOrgId: p.orgA,
        outcome: 'success' as const,
        details: {
          reference,
          organizations: [p.orgA, p.orgB],
          score: roundScore(p.result.score),
          features: p.result.features,
        },
      })),
    );
  }
  for (const { recordId } of items) change.hitIds.set(recordId, new Map());
  for (const [key, id] of hitOf) {
    const [a, b] = key.split('|') as [string, string];
    change.hitIds.get(a)?.set(b, id);
    change.hitIds.get(b)?.set(a, id);
  }
  return change;
}

/** Closes the open hits of records taken out of the index. */
async function closeHitsOf(
  db: Executor,
  recordIds: readonly string[],
  reason: string,
  now: Date,
): Promise<number> {
  if (recordIds.length === 0) return 0;
  const rows = await db
    .updateTable('match_hits')
    .set({ status: 'closed', closed_reason: reason, updated_at: now })
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('record_a', 'in', recordIds), eb('record_b', 'in', recordIds)]))
    .returning('id')
    .execute();
  return rows.length;
}

export interface QueueRun {
  records: number;
  indexed: number;
  removed: number;
  hits: HitChange;
  cappedKeys: number;
}

/**
 * One batch of the match queue in one transaction: takes up to `limit` queued records, re-encodes
 * them under the active key (or removes them from the index when no longer indexable), then
 * matches each against the records of its organization's partners and writes hits. A global
 * transaction-scoped advisory lock serialises batches across processes, so two records indexed
 * at once always see each other (one of the two batches commits first).
 */
export async function processMatchQueue(
  ctx: AppContext,
  limit = 500,
  options: EngineOptions = DEFAULT_ENGINE,
): Promise<QueueRun> {
  const now = ctx.clock.now();
  const encoder = await activeEncoder(ctx);
  const run: QueueRun = {
    records: 0,
    indexed: 0,
    removed: 0,
    hits: { created: 0, updated: 0, closed: 0 },
    cappedKeys: 0,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await lockMatching(trx);
    const taken = await sql<{ record_id: string }>`
      DELETE FROM match_queue WHERE record_id IN (
        SELECT record_id FROM match_queue ORDER BY record_id LIMIT ${limit} FOR UPDATE
      ) RETURNING record_id
    `.execute(trx);
    const ids = taken.rows.map((r) => r.record_id);
    run.records = ids.length;
    if (ids.length === 0) return;
    const records = await trx
      .selectFrom('records as r')
      .innerJoin('organizations as o', 'o.id', 'r.owner_org_id')
      .select([
        'r.id',
        'r.owner_org_id',
        'r.schema',
        'r.properties',
        'r.status',
        'r.tlp',
        'r.subject_category',
        'r.expires_at',
        'r.purged_at',
        'r.version',
        'o.countries',
      ])
      .where('r.id', 'in', ids)
      .execute();
    const wasIndexed = await unindex(trx, ids);
    const toIndex: { recordId: string; organizationId: string; version: number; encoded: EncodedEntity }[] =
      [];
    const withdrawn: string[] = [];
    for (const r of records) {
      const encoded = indexable(r, now) ? encodeRecord(encoder, r, r.countries?.[0]) : null;
      if (encoded)
        toIndex.push({ recordId: r.id, organizationId: r.owner_org_id, version: r.version, encoded });
      else withdrawn.push(r.id);
    }
    run.removed = withdrawn.filter((id) => wasIndexed.has(id)).length;
    run.hits.closed += await closeHitsOf(trx, withdrawn, 'record_withdrawn', now);
    const indexed = await indexEncoded(trx, encoder.keyId, toIndex, now);
    run.indexed = indexed.length;
    const partners = new Map<string, string[]>();
    for (const e of indexed) {
      if (!partners.has(e.organizationId))
        partners.set(e.organizationId, await matchingPartners(trx, e.organizationId, now));
    }
    const answers = await searchEncoded(
      trx,
      encoder.keyId,
      indexed.map((e) => ({
        encoded: e.encoded,
        organizations: partners.get(e.organizationId)!,
        recordId: e.recordId,
      })),
      options,
    );
    for (const a of answers) run.cappedKeys += a.cappedKeys;
    const change = await writeHits(
      trx,
      encoder.keyId,
      indexed.map((e, i) => ({
        recordId: e.recordId,
        organizationId: e.organizationId,
        answer: answers[i]!,
      })),
      now,
    );
    run.hits.created += change.created;
    run.hits.updated += change.updated;
    run.hits.closed += change.closed;
    await retireDrainedKeys(ctx, trx);
  });
  return run;
}

/** Runs queue batches until the queue is empty (tests, the CLI, and the periodic job). */
export async function drainMatchQueue(
  ctx: AppContext,
  options: EngineOptions = DEFAULT_ENGINE,
): Promise<QueueRun> {
  const total: QueueRun = {
    records: 0,
    indexed: 0,
    removed: 0,
    hits: { created: 0, updated: 0, closed: 0 },
    cappedKeys: 0,
  };
  for (;;) {
    const run = await processMatchQueue(ctx, 500, options);
    total.records += run.records;
    total.indexed += run.indexed;
    total.removed += run.removed;
    total.cappedKeys += run.cappedKeys;
    total.hits.created += run.hits.created;
    total.hits.updated += run.hits.updated;
    total.hits.closed += run.hits.closed;
    if (run.records === 0) return total;
  }
}
