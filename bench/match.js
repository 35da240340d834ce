#!/usr/bin/env node
// Matching benchmark (issue 4, speed): N synthetic entities (src/features/matching/synthetic.ts)
// held by 10 organizations under one agreement that allows matching, loaded as records, indexed
// through the match queue (processMatchQueue: encode, index, search, hits), then measured:
//
//  - encoding throughput: `encodeRecord` alone (FtM properties → blind encoding), entities/s;
//  - indexing throughput: the queue, batch by batch as the periodic job runs it (it also searches
//    each new entity among the partners' records and writes hits), entities/s;
//  - single-entity match latency: one `searchEncoded` call per query against the full index (the
//    check path), p50/p95/p99, with the candidates scored and the capped keys;
//  - batch cross-referencing throughput: `searchEncoded` over batches of entities, entities/s;
//  - quality on the synthetic truth (a sanity check, not the quality evaluation): precision and
//    recall of the hits the queue wrote and of the batch results;
//  - peak resident memory of this process (with PGlite it includes the database).
//
//   npx tsx bench/match.js [--n 100000] [--queries 1000] [--batch 20000] [--batch-size 1000] [--json]
//                          [--index queue|bulk]
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/match.js --n 1000000
//
// --index bulk indexes without the queue's search and hits (far faster at 1,000,000): batches of
// 2,000 records are encoded and written as the engine's indexEncoded writes them (counts first,
// then entities with their packed form under the counts so far, then postings); the queue is
// emptied. Hit quality is then not measured, only the batch results'.
//
// On PGlite it uses a temporary data directory; with DATABASE_URL it creates a scratch database
// `entente_bench_match_<pid>` on that server and drops it at the end (the database named in the URL
// is only used to create and drop it). --keep leaves the database (and prints its name); --explain
// prints the plan of the candidate statement for one query and one batch.
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { blockingKeysOf, featureIdsOf } from '../src/features/matching/blind.js';
import {
  DEFAULT_ENGINE,
  encodeRecord,
  matchingPartners,
  processMatchQueue,
  searchEncoded,
} from '../src/features/matching/matching.engine.js';
import { activeEncoder } from '../src/features/matching/matching.keys.js';
import { POPULATION_FEATURE } from '../src/features/matching/matching.store.js';
import { packPrepared, prepareEntity } from '../src/features/matching/score.js';
import {
  DEFAULT_ORGANIZATIONS,
  seededRandom,
  syntheticEntities,
} from '../src/features/matching/synthetic.js';
import { searchColumnsFor } from '../src/features/records/records.search-columns.js';
import { openRuntime } from '../src/runtime.js';

function parseArgs(argv) {
  const opts = {
    n: 100_000,
    queries: 1000,
    batch: 20_000,
    batchSize: 1000,
    seed: 42,
    json: false,
    keep: false,
    explain: false,
    encodeSample: 100_000,
    index: 'queue',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => Number(a.includes('=') ? a.split('=')[1] : argv[++i]);
    if (a.startsWith('--n')) opts.n = value();
    else if (a.startsWith('--queries')) opts.queries = value();
    else if (a.startsWith('--batch-size')) opts.batchSize = value();
    else if (a.startsWith('--batch')) opts.batch = value();
    else if (a.startsWith('--seed')) opts.seed = value();
    else if (a.startsWith('--encode-sample')) opts.encodeSample = value();
    else if (a.startsWith('--index')) opts.index = a.includes('=') ? a.split('=')[1] : argv[++i];
    else if (a === '--json') opts.json = true;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--explain') opts.explain = true;
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: npx tsx bench/match.js [--n N] [--queries N] [--batch N] [--batch-size N] [--seed N] [--json] [--keep] [--explain]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument "${a}"`);
  }
  if (!['queue', 'bulk'].includes(opts.index)) throw new Error('--index is queue or bulk');
  for (const k of ['n', 'queries', 'batch', 'batchSize', 'encodeSample'])
    if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k} needs a positive integer`);
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const log = (s) => process.stderr.write(`${s}\n`);

// Record ids carry the stream position, so hits map back to the truth without a lookup table,
// and the queue (taken in record id order) indexes records in the order they were made.
const recordIdOf = (index) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
const indexOf = (recordId) => Number.parseInt(recordId.slice(24), 16);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
sampler.unref();
const loads = [os.loadavg()[0]];
setInterval(() => loads.push(os.loadavg()[0]), 5000).unref();

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function withRuntime(fn) {
  const url = process.env.DATABASE_URL;
  let dataDir = 'memory://';
  let admin;
  let scratch;
  let databaseUrl;
  if (!url) {
    dataDir = mkdtempSync(join(os.tmpdir(), 'entente-bench-match-'));
  } else {
    scratch = `entente_bench_match_${process.pid}`;
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${scratch}`);
    const u = new URL(url);
    u.pathname = `/${scratch}`;
    databaseUrl = u.toString();
  }
  const runtime = await openRuntime(
    loadConfig({
      NODE_ENV: 'test',
      ENTENTE_DATA_DIR: dataDir,
      ENTENTE_JOB_INTERVAL_MS: '0',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
  );
  const label = admin
    ? `PostgreSQL ${(await admin.query('SHOW server_version')).rows[0].server_version}`
    : `PGlite ${JSON.parse(readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')).version}`;
  try {
    return await fn(runtime.ctx, label);
  } finally {
    await runtime.close();
    if (!admin) rmSync(dataDir, { recursive: true, force: true });
    else if (opts.keep) {
      log(`kept database ${scratch}`);
      await admin.end();
    } else {
      await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
      await admin.end();
    }
  }
}

async function setupWorld(db, now) {
  const orgs = DEFAULT_ORGANIZATIONS.map((o, i) => ({
    id: `00000000-0000-4000-9000-${String(i + 1).padStart(12, '0')}`,
    ...o,
  }));
  await db
    .insertInto('organizations')
    .values(
      orgs.map((o, i) => ({
        id: o.id,
        slug: `bench-match-${i}`,
        name: o.name,
        short_name: null,
        kind: 'national',
        region: 'europe',
        countries: [o.country],
        agency_type: 'police',
        crime_areas: ['drug_trafficking'],
        mfa_required: false,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const agreementId = '00000000-0000-4000-a000-000000000001';
  await db
    .insertInto('agreements')
    .values({
      id: agreementId,
      reference: 'BENCH-MATCH',
      title: 'Benchmark matching agreement',
      kind: 'mou',
      status: 'active',
      crime_areas: ['drug_trafficking', 'money_laundering'],
      data_categories: ['persons', 'organizations', 'financial'],
      purposes: ['criminal_investigation'],
      ceiling_tlp: 'TLP:AMBER',
      ceiling_h2_allowed: true,
      matching_allowed: true,
      max_retention_days: null,
      valid_from: new Date('2026-01-01T00:00:00Z'),
      sunset_at: new Date('2030-01-01T00:00:00Z'),
      pilot_ends_at: null,
      pilot_success_criteria: null,
      review_triggers: JSON.stringify([]),
      last_reviewed_at: null,
      created_by_org_id: orgs[0].id,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('agreement_parties')
    .values(
      orgs.map((o) => ({
        agreement_id: agreementId,
        organization_id: o.id,
        signed_at: now,
        signed_by: null,
      })),
    )
    .execute();
  return orgs;
}

const CATEGORY = { Person: 'persons', Company: 'organizations', BankAccount: 'financial' };

/** The generator's stream, with the world's options (the window shrinks for small N so that most copies land). */
const stream = () =>
  syntheticEntities({ n: opts.n, seed: opts.seed, window: Math.min(20_000, Math.floor(opts.n / 5)) });

async function load(db, orgs, now, truth, picks) {
  const BATCH = 1000;
  let rows = [];
  const t0 = performance.now();
  let last = t0;
  for (const e of stream()) {
    truth.cluster[e.index] = e.cluster;
    truth.org[e.index] = e.organization;
    if (e.clusterSize > 1) {
      const list = truth.multi.get(e.cluster);
      if (list) list.push(e.index);
      else truth.multi.set(e.cluster, [e.index]);
    }
    if (picks.has(e.index)) picks.set(e.index, e);
    const caption =
      e.properties.name?.[0] ?? e.properties.iban?.[0] ?? e.properties.accountNumber?.[0] ?? e.id;
    rows.push({
      id: recordIdOf(e.index),
      owner_org_id: orgs[e.organization].id,
      schema: e.schema,
      ...searchColumnsFor(e.schema, e.properties, caption),
      properties: JSON.stringify(e.properties),
      tlp: 'TLP:AMBER',
      handling_codes: ['H0'],
      handling_h3_text: null,
      evaluation_scheme: 'eu4x4',
      evaluation_source: 'B',
      evaluation_information: '2',
      crime_areas: ['drug_trafficking'],
      purposes: ['criminal_investigation'],
      data_category: CATEGORY[e.schema],
      subject_category: e.schema === 'Person' ? 'suspect' : null,
      status: 'active',
      retracted_reason: null,
      review_at: new Date('2030-01-01T00:00:00Z'),
      expires_at: new Date('2031-01-01T00:00:00Z'),
      external_id: e.id,
      created_by: null,
      created_at: now,
      updated_at: now,
    });
    if (rows.length === BATCH) {
      await db.insertInto('records').values(rows).execute();
      rows = [];
      if (performance.now() - last > 15_000) {
        last = performance.now();
        log(`  loaded ${e.index + 1} records, ${((last - t0) / 1000).toFixed(0)} s`);
      }
    }
  }
  if (rows.length > 0) await db.insertInto('records').values(rows).execute();
  await sql`ANALYZE`.execute(db);
  return (performance.now() - t0) / 1000;
}

/** Encoder only: the entities are made beforehand, chunk by chunk, so generation is not timed. */
function measureEncoding(encoder, orgs) {
  const total = Math.min(opts.n, opts.encodeSample);
  const CHUNK = 10_000;
  let chunk = [];
  let ms = 0;
  let keys = 0;
  let encoded = 0;
  let cpuMs = 0;
  const run = () => {
    const t = performance.now();
    const c = process.cpuUsage();
    for (const e of chunk) {
      const x = encodeRecord(encoder, e, orgs[e.organization].country);
      if (x) {
        encoded++;
        keys += x.keys.length;
      }
    }
    ms += performance.now() - t;
    const used = process.cpuUsage(c);
    cpuMs += (used.user + used.system) / 1000;
    chunk = [];
  };
  for (const e of syntheticEntities({ n: total, seed: opts.seed + 1 })) {
    chunk.push(e);
    if (chunk.length === CHUNK) run();
  }
  if (chunk.length > 0) run();
  return {
    entities: total,
    encoded,
    seconds: ms / 1000,
    perSecond: total / (ms / 1000),
    // Entities per second of CPU time: what one otherwise idle core would do.
    perCpuSecond: total / (cpuMs / 1000),
    keysPerEntity: keys / encoded,
  };
}

async function index(ctx) {
  const t0 = performance.now();
  let last = t0;
  const total = { records: 0, indexed: 0, hitsCreated: 0, cappedKeys: 0, batches: 0 };
  const marks = [];
  for (;;) {
    const run = await processMatchQueue(ctx, 500, DEFAULT_ENGINE);
    if (run.records === 0) break;
    total.batches++;
    total.records += run.records;
    total.indexed += run.indexed;
    total.hitsCreated += run.hits.created;
    total.cappedKeys += run.cappedKeys;
    const t = performance.now();
    if (t - last > 15_000) {
      marks.push({ indexed: total.indexed, seconds: (t - t0) / 1000 });
      const prev = marks.at(-2) ?? { indexed: 0, seconds: 0 };
      log(
        `  indexed ${total.indexed}, ${((t - t0) / 1000).toFixed(0)} s, recent ${Math.round((total.indexed - prev.indexed) / ((t - t0) / 1000 - prev.seconds))}/s, hits ${total.hitsCreated}`,
      );
      last = t;
    }
  }
  return { mode: 'queue', ...total, seconds: (performance.now() - t0) / 1000, marks };
}

async function upsertCounts(db, keyId, deltas) {
  const entries = [...deltas]
    .filter(([, d]) => d !== 0)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 0; i < entries.length; i += 20_000) {
    const part = entries.slice(i, i + 20_000);
    await sql`
      INSERT INTO match_counts (key_id, feature, df)
      SELECT ${keyId}, f, d FROM unnest(${sql.val(part.map((e) => e[0]))}::text[], ${sql.val(part.map((e) => e[1]))}::int[]) AS t(f, d)
      ON CONFLICT (key_id, feature) DO UPDATE SET df = match_counts.df + excluded.df
    `.execute(db);
  }
}

async function countsOf(db, keyId, features) {
  const wanted = [...features, POPULATION_FEATURE];
  const counts = new Map();
  for (let i = 0; i < wanted.length; i += 20_000) {
    const rows = await db
      .selectFrom('match_counts')
      .select(['feature', 'df'])
      .where('key_id', '=', keyId)
      .where('feature', '=', sql`ANY(${sql.val(wanted.slice(i, i + 20_000))}::text[])`)
      .execute();
    for (const r of rows) counts.set(r.feature, r.df);
  }
  const population = counts.get(POPULATION_FEATURE) ?? 0;
  return { population, count: (id) => counts.get(id) ?? 0 };
}

/** Index only, batch by batch as the engine's indexEncoded does, without searching or hits. */
async function bulkIndex(ctx, encoder, orgs) {
  const { db } = ctx;
  const keyId = encoder.keyId;
  const t0 = performance.now();
  let last = t0;
  let indexed = 0;
  let encodeMs = 0;
  const BATCH = 2000;
  let items = [];
  const flush = async () => {
    if (items.length === 0) return;
    await db.transaction().execute(async (trx) => {
      const deltas = new Map();
      for (const it of items) {
        for (const f of featureIdsOf(it.encoded)) deltas.set(f, (deltas.get(f) ?? 0) + 1);
        for (const k of new Set(blockingKeysOf(it.encoded))) deltas.set(k, (deltas.get(k) ?? 0) + 1);
      }
      deltas.set(POPULATION_FEATURE, items.length);
      await upsertCounts(trx, keyId, deltas);
      const counts = await countsOf(trx, keyId, deltas.keys());
      const inserted = await trx
        .insertInto('match_entities')
        .values(
          items.map((it) => ({
            record_id: it.recordId,
            organization_id: it.organizationId,
            key_id: keyId,
            kind: it.encoded.kind,
            record_version: 1,
            encoding: JSON.stringify(it.encoded),
            packed: Buffer.from(packPrepared(prepareEntity(it.encoded, counts))),
            indexed_at: ctx.clock.now(),
          })),
        )
        .returning(['seq', 'record_id'])
        .execute();
      const seqOf = new Map(inserted.map((r) => [r.record_id, String(r.seq)]));
      const pk = [];
      const pe = [];
      const po = [];
      for (const it of items) {
        for (const key of new Set(blockingKeysOf(it.encoded))) {
          pk.push(key);
          pe.push(seqOf.get(it.recordId));
          po.push(it.organizationId);
        }
      }
      await sql`
        INSERT INTO match_postings (key, entity, organization_id)
        SELECT * FROM unnest(${sql.val(pk)}::text[], ${sql.val(pe)}::bigint[], ${sql.val(po)}::uuid[])
      `.execute(trx);
    });
    indexed += items.length;
    items = [];
    const t = performance.now();
    if (t - last > 15_000) {
      last = t;
      log(`  indexed ${indexed}, ${((t - t0) / 1000).toFixed(0)} s`);
    }
  };
  for (const e of stream()) {
    const t = performance.now();
    const encoded = encodeRecord(encoder, e, orgs[e.organization].country);
    encodeMs += performance.now() - t;
    if (!encoded) continue;
    items.push({ recordId: recordIdOf(e.index), organizationId: orgs[e.organization].id, encoded });
    if (items.length === BATCH) await flush();
  }
  await flush();
  await sql`DELETE FROM match_queue`.execute(db);
  return {
    mode: 'bulk',
    records: opts.n,
    indexed,
    seconds: (performance.now() - t0) / 1000,
    encodeSeconds: encodeMs / 1000,
    hitsCreated: 0,
    cappedKeys: 0,
    batches: Math.ceil(indexed / BATCH),
    marks: [],
  };
}

function truthPartners(truth, i) {
  const list = truth.multi.get(truth.cluster[i]);
  if (!list) return [];
  return list.filter((j) => j !== i && truth.org[j] !== truth.org[i]);
}

async function hitQuality(db, truth) {
  const hits = await db
    .selectFrom('match_hits')
    .select(['record_a', 'record_b'])
    .where('status', '=', 'open')
    .execute();
  let correct = 0;
  for (const h of hits)
    if (truth.cluster[indexOf(h.record_a)] === truth.cluster[indexOf(h.record_b)]) correct++;
  let pairs = 0;
  for (const list of truth.multi.values()) {
    for (let a = 0; a < list.length; a++)
      for (let b = a + 1; b < list.length; b++) if (truth.org[list[a]] !== truth.org[list[b]]) pairs++;
  }
  return {
    hits: hits.length,
    correct,
    truthPairs: pairs,
    precision: correct / hits.length,
    recall: correct / pairs,
  };
}

function stats(values) {
  const s = Float64Array.from(values).sort();
  const sum = values.reduce((x, y) => x + y, 0);
  return {
    mean: sum / values.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1],
  };
}

/** EXPLAIN ANALYZE of the statements `searchEncoded` runs for these queries, captured through a plugin. */
async function explainSearch(db, keyId, queries) {
  const captured = [];
  const logged = db.withPlugin({
    transformQuery(args) {
      captured.push(args.node);
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  });
  await searchEncoded(logged, keyId, queries, DEFAULT_ENGINE);
  const out = [];
  for (const node of captured) {
    const compiled = db.getExecutor().compileQuery(node, { queryId: 'explain' });
    const plan = await db
      .getExecutor()
      .executeQuery(
        { ...compiled, sql: `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${compiled.sql}` },
        { queryId: 'explain' },
      );
    out.push(`-- ${compiled.sql.replace(/\s+/g, ' ').slice(0, 160)}…`);
    // Array literals in index conditions run to thousands of characters.
    for (const r of plan.rows) out.push(String(Object.values(r)[0]).slice(0, 240));
  }
  return out;
}

async function main() {
  const now = new Date('2026-06-01T12:00:00Z');
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {}
  const cpu = os.cpus();
  const machine = `${cpu[0]?.model.trim() ?? 'cpu'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.versions.node}`;
  const result = await withRuntime(async (ctx, label) => {
    const { db } = ctx;
    ctx = { ...ctx, clock: { now: () => now } };
    log(`database: ${label}; ${opts.n.toLocaleString('en')} synthetic entities, 10 organizations`);
    const orgs = await setupWorld(db, now);

    // Query samples: positions drawn once, their entities kept while loading.
    const random = seededRandom(opts.seed + 7);
    const picks = new Map();
    const wanted = Math.min(opts.n, opts.queries + opts.batch);
    while (picks.size < wanted) picks.set(Math.floor(random() * opts.n), null);
    const truth = { cluster: new Int32Array(opts.n), org: new Int8Array(opts.n), multi: new Map() };

    log('loading records…');
    const loadSeconds = await load(db, orgs, now, truth, picks);
    log(`  ${loadSeconds.toFixed(1)} s`);

    const encoder = await activeEncoder(ctx);
    log('encoding…');
    const encoding = measureEncoding(encoder, orgs);
    log(`  ${Math.round(encoding.perSecond)} entities/s`);

    log(
      opts.index === 'queue' ? 'indexing through the match queue…' : 'indexing in bulk (no search, no hits)…',
    );
    const indexing = opts.index === 'queue' ? await index(ctx) : await bulkIndex(ctx, encoder, orgs);
    log(`  ${indexing.indexed} indexed in ${indexing.seconds.toFixed(1)} s`);
    // PostgreSQL's autovacuum would analyze the match tables on its own; PGlite has no autovacuum.
    await sql`VACUUM ANALYZE`.execute(db);
    const sizes = (
      await sql`SELECT (SELECT count(*) FROM match_entities)::int AS entities,
                       (SELECT count(*) FROM match_postings)::int AS postings,
                       (SELECT count(*) FROM match_counts)::int AS counts`.execute(db)
    ).rows[0];
    const dbSize =
      ctx.dbKind === 'postgres'
        ? (await sql`SELECT pg_database_size(current_database())::bigint AS b`.execute(db)).rows[0].b
        : null;
    const hits = opts.index === 'queue' ? await hitQuality(db, truth) : null;

    const partners = new Map();
    for (const o of orgs) partners.set(o.id, await matchingPartners(db, o.id, now));
    const entries = [...picks.values()].filter(Boolean);
    const toQuery = (e) => {
      const encoded = encodeRecord(encoder, e, orgs[e.organization].country);
      return encoded
        ? {
            index: e.index,
            query: {
              encoded,
              organizations: partners.get(orgs[e.organization].id),
              recordId: recordIdOf(e.index),
            },
          }
        : null;
    };
    const single = entries.slice(0, opts.queries).map(toQuery).filter(Boolean);
    const batchEntries = entries.slice(opts.queries);

    // Single-entity latency: warm-up, then one call per query.
    for (const q of single.slice(0, 20)) await searchEncoded(db, encoder.keyId, [q.query], DEFAULT_ENGINE);
    const latencies = [];
    const cpuTimes = [];
    const candidates = [];
    const capped = [];
    let results = 0;
    for (const q of single) {
      const t = performance.now();
      const c = process.cpuUsage();
      const [answer] = await searchEncoded(db, encoder.keyId, [q.query], DEFAULT_ENGINE);
      latencies.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpuTimes.push((used.user + used.system) / 1000);
      candidates.push(answer.candidates);
      capped.push(answer.cappedKeys);
      results += answer.results.length;
    }
    const singleStats = {
      queries: single.length,
      ms: stats(latencies),
      // CPU time of this process (PGlite: including the database) per query: less sensitive to other load than wall time.
      cpuMs: stats(cpuTimes),
      candidates: stats(candidates),
      cappedKeys: stats(capped),
      queriesWithCappedKeys: capped.filter((c) => c > 0).length / capped.length,
      resultsPerQuery: results / single.length,
    };
    log(`  single p50 ${singleStats.ms.p50.toFixed(2)} ms, p99 ${singleStats.ms.p99.toFixed(2)} ms`);

    // Batch cross-referencing: encoding timed apart, then searchEncoded per batch.
    const tEnc = performance.now();
    const batch = batchEntries.map(toQuery).filter(Boolean);
    const batchEncodeSeconds = (performance.now() - tEnc) / 1000;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let batchCandidates = 0;
    let batchCapped = 0;
    const batchTimes = [];
    const tBatch = performance.now();
    const cBatch = process.cpuUsage();
    for (let i = 0; i < batch.length; i += opts.batchSize) {
      const slice = batch.slice(i, i + opts.batchSize);
      const t = performance.now();
      const answers = await searchEncoded(
        db,
        encoder.keyId,
        slice.map((q) => q.query),
        DEFAULT_ENGINE,
      );
      batchTimes.push(performance.now() - t);
      answers.forEach((a, k) => {
        const me = slice[k].index;
        batchCandidates += a.candidates;
        batchCapped += a.cappedKeys;
        const found = new Set(a.results.map((r) => indexOf(r.recordId)));
        const expected = truthPartners(truth, me);
        for (const j of found) {
          if (truth.cluster[j] === truth.cluster[me]) tp++;
          else fp++;
        }
        for (const j of expected) if (!found.has(j)) fn++;
      });
    }
    const batchSeconds = (performance.now() - tBatch) / 1000;
    const batchCpu = process.cpuUsage(cBatch);
    const batchStats = {
      entities: batch.length,
      batchSize: opts.batchSize,
      seconds: batchSeconds,
      perSecond: batch.length / batchSeconds,
      perSecondWithEncoding: batch.length / (batchSeconds + batchEncodeSeconds),
      cpuSeconds: (batchCpu.user + batchCpu.system) / 1e6,
      msPerBatch: stats(batchTimes),
      candidatesPerEntity: batchCandidates / batch.length,
      cappedKeysPerEntity: batchCapped / batch.length,
      precision: tp / (tp + fp),
      recall: tp / (tp + fn),
    };
    log(`  batch ${Math.round(batchStats.perSecond)} entities/s`);

    let explain;
    if (opts.explain) {
      explain = {
        single: await explainSearch(db, encoder.keyId, [single[0].query]),
        batch: await explainSearch(
          db,
          encoder.keyId,
          batch.slice(0, opts.batchSize).map((q) => q.query),
        ),
      };
    }
    return {
      date: new Date().toISOString().slice(0, 10),
      machine,
      commit,
      database: label,
      n: opts.n,
      seed: opts.seed,
      loadSeconds,
      encoding,
      indexing: {
        ...indexing,
        perSecond: indexing.indexed / indexing.seconds,
        hits,
        tables: sizes,
        databaseBytes: dbSize === null ? null : Number(dbSize),
      },
      single: singleStats,
      batch: batchStats,
      peakRssMiB: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20),
      // Other processes on the machine skew every figure: the 1-minute load average, sampled.
      loadAverage: { mean: loads.reduce((x, y) => x + y, 0) / loads.length, max: Math.max(...loads) },
      ...(explain ? { explain } : {}),
    };
  });
  if (opts.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const r = result;
  const f = (x, d = 1) => x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`\n${r.database}, ${r.n.toLocaleString('en')} entities, ${r.machine}, commit ${r.commit}`);
  console.log(`load (records, 1,000 per statement): ${f(r.loadSeconds)} s`);
  console.log(
    `encoding: ${f(r.encoding.perSecond, 0)} entities/s, ${f(r.encoding.perCpuSecond, 0)} per CPU second (${r.encoding.entities.toLocaleString('en')} entities, ${f(r.encoding.keysPerEntity)} blocking keys each)`,
  );
  console.log(
    `indexing (${r.indexing.mode === 'queue' ? 'match queue, 500 per batch, incl. search and hits' : 'bulk, 2,000 per transaction, index only'}): ${f(r.indexing.perSecond, 0)} entities/s (${r.indexing.indexed.toLocaleString('en')} in ${f(r.indexing.seconds)} s); tables: ${r.indexing.tables.entities.toLocaleString('en')} entities, ${r.indexing.tables.postings.toLocaleString('en')} postings, ${r.indexing.tables.counts.toLocaleString('en')} counts${r.indexing.databaseBytes ? `, database ${f(r.indexing.databaseBytes / 2 ** 30, 2)} GiB` : ''}`,
  );
  if (r.indexing.hits)
    console.log(
      `hits: ${r.indexing.hits.hits.toLocaleString('en')} (true pairs ${r.indexing.hits.truthPairs.toLocaleString('en')}): precision ${f(r.indexing.hits.precision, 3)}, recall ${f(r.indexing.hits.recall, 3)}`,
    );
  const s = r.single;
  console.log(
    `single-entity match (${s.queries} queries, one searchEncoded each): p50 ${f(s.ms.p50, 2)} ms, p95 ${f(s.ms.p95, 2)} ms, p99 ${f(s.ms.p99, 2)} ms, max ${f(s.ms.max, 1)} ms (CPU of this process p50 ${f(s.cpuMs.p50, 2)} ms, p99 ${f(s.cpuMs.p99, 2)} ms); candidates p50 ${s.candidates.p50} / p99 ${s.candidates.p99}; capped keys mean ${f(s.cappedKeys.mean, 2)} (${f(100 * s.queriesWithCappedKeys, 0)} % of queries)`,
  );
  const b = r.batch;
  console.log(
    `batch cross-referencing (${b.entities.toLocaleString('en')} entities, ${b.batchSize} per call): ${f(b.perSecond, 0)} entities/s (${f(b.perSecondWithEncoding, 0)} with encoding; CPU of this process ${f(b.cpuSeconds)} s of ${f(b.seconds)} s); ${f(b.msPerBatch.p50, 0)} ms per batch p50; ${f(b.candidatesPerEntity)} candidates and ${f(b.cappedKeysPerEntity, 2)} capped keys per entity; precision ${f(b.precision, 3)}, recall ${f(b.recall, 3)}`,
  );
  console.log(`peak RSS of the benchmark process: ${r.peakRssMiB} MiB`);
  console.log(
    `machine load (1-minute average, 2 cores) during the run: mean ${f(r.loadAverage.mean, 1)}, max ${f(r.loadAverage.max, 1)}`,
  );
  if (r.explain) {
    console.log('\nEXPLAIN ANALYZE, the statements of one query:');
    for (const l of r.explain.single) console.log(`  ${l}`);
    console.log(`\nEXPLAIN ANALYZE, the statements of a batch of ${b.batchSize}:`);
    for (const l of r.explain.batch) console.log(`  ${l}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
