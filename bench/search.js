#!/usr/bin/env node
// Search benchmark: the cost of record search at scale, and the cost of access control in it.
// Generates N records (default 100,000) across 20 organizations with agreements and memberships,
// then times the search's SQL (the page query and the facet query, exactly as GET /api/v1/search
// runs them) for (a) a filtered full-text query and (b) a fuzzy name query, each WITH the policy
// scope of a reader and the same query WITHOUT it, and prints p50/p95 and their ratio.
//
//   npx tsx bench/search.js [--records 100000] [--queries 200] [--explain]
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/search.js
//
// It runs the TypeScript sources through tsx (no build needed). On PGlite it uses a temporary data
// directory; with DATABASE_URL it creates a scratch database `entente_bench_<pid>` on that server,
// and drops it at the end (the database named in the URL is only used to create and drop it).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { searchColumnsFor } from '../src/features/records/records.search-columns.js';
import { toSearchParams } from '../src/features/search/search.service.js';
import {
  policyVisibility,
  searchFacetsWhere,
  searchPageWhere,
  UNSCOPED_FOR_BENCHMARK,
} from '../src/features/search/search.store.js';
import { loadReadScope } from '../src/platform/access/governed.js';
import { openDatabase } from '../src/platform/db/db.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

function parseArgs(argv) {
  const opts = { records: 100_000, queries: 200, explain: false, seed: 42 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (a.includes('=') ? a.split('=')[1] : argv[++i]);
    if (a.startsWith('--records')) opts.records = Number(value());
    else if (a.startsWith('--queries')) opts.queries = Number(value());
    else if (a.startsWith('--seed')) opts.seed = Number(value());
    else if (a === '--explain') opts.explain = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npx tsx bench/search.js [--records N] [--queries N] [--explain] [--seed N]');
      process.exit(0);
    } else throw new Error(`unknown argument "${a}"`);
  }
  if (!Number.isInteger(opts.records) || opts.records < 1000)
    throw new Error('--records needs an integer ≥ 1000');
  return opts;
}

// A small deterministic PRNG (mulberry32) so runs are comparable.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Sergei',
  'Ivan',
  'Olga',
  'Dmitri',
  'Muhammad',
  'Mohammed',
  'Ahmed',
  'Fatima',
  'Aisha',
  'Hassan',
  'Maria',
  'José',
  'Ana',
  'Pedro',
  'John',
  'Mary',
  'Li',
  'Wei',
  'Amina',
  'Kwame',
  'Chinedu',
  'Zeynep',
  'Ayşe',
  'Jan',
  'Piotr',
  'Elena',
  'Nikos',
  'Γιώργος',
  'Сергей',
  'محمد',
];
const SYLLABLES = [
  'ka',
  'ri',
  'mo',
  'ta',
  'len',
  'dor',
  'vi',
  'ash',
  'ur',
  'bel',
  'san',
  'ko',
  'mir',
  'zu',
  'pe',
  'tro',
  'gal',
  'nu',
  'has',
  'el',
];
const SUFFIXES = ['ov', 'enko', 'son', 'ez', 'i', 'ski', 'ar', 'ović', 'escu', 'yan', 'ani', 'oglu'];
const CRIME_AREAS = [
  'drug_trafficking',
  'money_laundering',
  'human_trafficking',
  'cybercrime',
  'corruption',
  'terrorism_financing',
];
const PURPOSES = ['criminal_investigation', 'intelligence_analysis'];
const COUNTRIES = [
  'ke',
  'ng',
  'gh',
  'za',
  'ru',
  'ua',
  'tr',
  'ae',
  'de',
  'fr',
  'es',
  'br',
  'co',
  'cn',
  'in',
  'gb',
  'us',
  'pl',
  'gr',
  'eg',
];
const TLPS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];
const SUBJECTS = ['suspect', 'suspect', 'suspect', 'associate', 'contact', 'victim', 'witness'];

function surnames(random) {
  const out = new Set();
  while (out.size < 4000) {
    const n = 1 + Math.floor(random() * 2);
    let s = '';
    for (let i = 0; i < n; i++) s += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    s += SUFFIXES[Math.floor(random() * SUFFIXES.length)];
    out.add(s[0].toUpperCase() + s.slice(1));
  }
  return [...out];
}

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function typo(random, word) {
  const w = word.toLowerCase();
  if (w.length < 4) return w;
  const i = 1 + Math.floor(random() * (w.length - 2));
  // swap two neighbours, or replace a vowel by another
  if (random() < 0.5) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  return w.replace(/[aeiou](?=[^aeiou]*$)/, (v) => (v === 'o' ? 'a' : 'o'));
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function withDatabase(fn) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(os.tmpdir(), 'entente-bench-search-'));
    const handle = await openDatabase({ dataDir: dir });
    try {
      return await fn(handle, 'PGlite');
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `entente_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: scratch.toString(), dataDir: '' });
  try {
    return await fn(
      handle,
      `PostgreSQL (${(await admin.query('SHOW server_version')).rows[0].server_version})`,
    );
  } finally {
    await handle.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
}

async function generate(db, opts, random) {
  const now = new Date('2026-06-01T12:00:00Z');
  const orgs = Array.from({ length: 20 }, (_, i) => ({ id: randomUUID(), slug: `bench-org-${i}` }));
  await db
    .insertInto('organizations')
    .values(
      orgs.map((o, i) => ({
        id: o.id,
        slug: o.slug,
        name: `Bench Agency ${i}`,
        short_name: null,
        kind: i === 0 ? 'regional' : 'national',
        region: 'africa',
        countries: [COUNTRIES[i % COUNTRIES.length].toUpperCase()],
        agency_type: 'police',
        crime_areas: ['drug_trafficking'],
        mfa_required: false,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  // orgs 1–6 are members of the regional body org 0
  await db
    .insertInto('organization_memberships')
    .values(orgs.slice(1, 7).map((o) => ({ member_id: o.id, body_id: orgs[0].id, since: now })))
    .execute();
  // 12 agreements of 2–4 parties with varied scopes and ceilings
  for (let i = 0; i < 12; i++) {
    const id = randomUUID();
    const size = 2 + Math.floor(random() * 3);
    const parties = new Set([orgs[1 + (i % 19)].id]);
    while (parties.size < size) parties.add(pick(random, orgs).id);
    await db
      .insertInto('agreements')
      .values({
        id,
        reference: `BENCH-${String(i).padStart(3, '0')}`,
        title: `Bench agreement ${i}`,
        kind: 'mou',
        status: 'active',
        crime_areas: CRIME_AREAS.filter(() => random() < 0.5).concat(['drug_trafficking']),
        data_categories: ['persons', 'organizations', 'financial', 'vehicles_vessels'],
        purposes: ['criminal_investigation'],
        ceiling_tlp: pick(random, ['TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT']),
        ceiling_h2_allowed: random() < 0.5,
        matching_allowed: true,
        max_retention_days: null,
        valid_from: new Date('2026-01-01T00:00:00Z'),
        sunset_at: new Date('2028-01-01T00:00:00Z'),
        pilot_ends_at: null,
        pilot_success_criteria: null,
        review_triggers: JSON.stringify([]),
        last_reviewed_at: null,
        created_by_org_id: [...parties][0],
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('agreement_parties')
      .values(
        [...parties].map((p) => ({ agreement_id: id, organization_id: p, signed_at: now, signed_by: null })),
      )
      .execute();
  }
  const names = surnames(random);
  const SCHEMATA = [
    ['Person', 'persons', 0.6],
    ['Company', 'organizations', 0.2],
    ['Vessel', 'vehicles_vessels', 0.1],
    ['BankAccount', 'financial', 0.1],
  ];
  const BATCH = 1000;
  const started = performance.now();
  const recipientRows = [];
  for (let done = 0; done < opts.records; done += BATCH) {
    const rows = [];
    for (let k = 0; k < Math.min(BATCH, opts.records - done); k++) {
      const r = random();
      let acc = 0;
      let schema = SCHEMATA[0];
      for (const s of SCHEMATA) {
        acc += s[2];
        if (r < acc) {
          schema = s;
          break;
        }
      }
      const surname = pick(random, names);
      const country = pick(random, COUNTRIES);
      let properties;
      if (schema[0] === 'Person') {
        properties = {
          name: [`${pick(random, FIRST)} ${surname}`],
          nationality: [country],
          notes: [`Seen near ${pick(random, names)} market`],
        };
      } else if (schema[0] === 'Company') {
        properties = {
          name: [`${surname} ${pick(random, ['Trading', 'Holdings', 'Logistics', 'Import Export'])} Ltd`],
          jurisdiction: [country],
        };
      } else if (schema[0] === 'Vessel') {
        properties = { name: [`MV ${surname}`], country: [country] };
      } else {
        properties = {
          accountNumber: [`${country.toUpperCase()}${Math.floor(random() * 1e12)}`],
          bankName: [`${surname} Bank`],
          country: [country],
        };
      }
      const caption = properties.name?.[0] ?? properties.accountNumber[0];
      const id = randomUUID();
      const updated = new Date(now.getTime() - Math.floor(random() * 365 * 86_400_000));
      const owner = orgs[1 + Math.floor(random() * 19)].id;
      if (random() < 0.01)
        recipientRows.push({
          record_id: id,
          organization_id: pick(random, orgs).id,
          added_at: now,
          added_by: null,
        });
      rows.push({
        id,
        owner_org_id: owner,
        schema: schema[0],
        ...searchColumnsFor(schema[0], properties, caption),
        properties: JSON.stringify(properties),
        tlp: pick(random, TLPS),
        handling_codes: random() < 0.1 ? ['H2'] : ['H0'],
        handling_h3_text: null,
        evaluation_scheme: 'eu4x4',
        evaluation_source: 'B',
        evaluation_information: '2',
        crime_areas: [pick(random, CRIME_AREAS)],
        purposes: [pick(random, PURPOSES)],
        data_category: schema[1],
        subject_category: schema[0] === 'Person' ? pick(random, SUBJECTS) : null,
        status: random() < 0.03 ? 'retracted' : 'active',
        retracted_reason: null,
        review_at: new Date('2030-01-01T00:00:00Z'),
        expires_at: new Date('2031-01-01T00:00:00Z'),
        external_id: null,
        created_by: null,
        created_at: updated,
        updated_at: updated,
      });
    }
    await db.insertInto('records').values(rows).execute();
    if (done > 0 && done % 100_000 === 0) {
      process.stderr.write(`  ${done} records, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }
  for (let i = 0; i < recipientRows.length; i += BATCH) {
    const chunk = recipientRows.slice(i, i + BATCH).filter((r) => r.organization_id);
    await db
      .insertInto('record_recipients')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  // What autovacuum does on a live database: merges the GIN pending lists the bulk load left.
  await sql`VACUUM ANALYZE records`.execute(db);
  await sql`ANALYZE`.execute(db);
  return { orgs, names, loadSeconds: (performance.now() - started) / 1000, now };
}

// Times each plan's scoped and unscoped variants back to back, in random order, so neither variant
// profits from the cache the other warmed.
async function timePairs(random, pairs) {
  const scoped = [];
  const unscoped = [];
  for (const [withScope, withoutScope] of pairs) {
    const order =
      random() < 0.5
        ? [
            [withScope, scoped],
            [withoutScope, unscoped],
          ]
        : [
            [withoutScope, unscoped],
            [withScope, scoped],
          ];
    for (const [run, times] of order) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
  }
  const stats = (times) => {
    times.sort((x, y) => x - y);
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  };
  return { scoped: stats(scoped), unscoped: stats(unscoped) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const random = rng(opts.seed);
  await withDatabase(async ({ db }, label) => {
    await migrateToLatest(db);
    console.log(`database: ${label}; generating ${opts.records.toLocaleString('en')} records…`);
    const world = await generate(db, opts, random);
    console.log(
      `loaded in ${world.loadSeconds.toFixed(1)} s (multi-row inserts of 1,000, search columns and indexes maintained)`,
    );
    // readers: analysts of the national agencies (members of the regional body or not)
    const readers = world.orgs
      .slice(1)
      .map((o) => ({ userId: randomUUID(), orgId: o.id, roles: ['analyst'], memberOf: [] }));
    for (const r of readers.slice(0, 6)) r.memberOf = [world.orgs[0].id];
    const scopes = await Promise.all(readers.map((r) => loadReadScope(db, r, world.now)));
    const cases = {
      'filtered full text': () =>
        toSearchParams({ q: pick(random, world.names), fuzzy: false, crimeArea: pick(random, CRIME_AREAS) }),
      'fuzzy name': () => toSearchParams({ q: typo(random, pick(random, world.names)), fuzzy: true }),
    };
    const results = [];
    for (const [name, make] of Object.entries(cases)) {
      const plans = Array.from({ length: opts.queries }, () => ({
        params: make(),
        scope: pick(random, scopes),
      }));
      let matched = 0;
      // warm-up (caches, plans) on a few queries of each variant
      for (const { params, scope } of plans.slice(0, 5)) {
        await searchPageWhere(db, policyVisibility(scope), params);
        await searchPageWhere(db, UNSCOPED_FOR_BENCHMARK, params);
      }
      let matchedAll = 0;
      const { scoped, unscoped } = await timePairs(
        random,
        plans.map(({ params, scope }) => [
          // As the endpoint (search.service.ts) runs them: both statements at once.
          async () => {
            const vis = policyVisibility(scope);
            const [, facets] = await Promise.all([
              searchPageWhere(db, vis, params),
              searchFacetsWhere(db, vis, params),
            ]);
            matched += facets.total;
          },
          async () => {
            const [, facets] = await Promise.all([
              searchPageWhere(db, UNSCOPED_FOR_BENCHMARK, params),
              searchFacetsWhere(db, UNSCOPED_FOR_BENCHMARK, params),
            ]);
            matchedAll += facets.total;
          },
        ]),
      );
      results.push({
        name,
        scoped,
        unscoped,
        avgReadable: matched / plans.length,
        avgMatching: matchedAll / plans.length,
      });
      if (opts.explain) {
        const { params, scope } = plans[0];
        console.log(`\nEXPLAIN ANALYZE, ${name}, scoped page query (q=${JSON.stringify(params.q)}):`);
        await explain(db, (d) => searchPageWhere(d, policyVisibility(scope), params));
        console.log(`\nEXPLAIN ANALYZE, ${name}, unscoped page query:`);
        await explain(db, (d) => searchPageWhere(d, UNSCOPED_FOR_BENCHMARK, params));
        console.log(`\nEXPLAIN ANALYZE, ${name}, scoped facet query:`);
        await explain(db, (d) => searchFacetsWhere(d, policyVisibility(scope), params));
      }
    }
    console.log(`\n${opts.queries} queries each (page of 20 + facets, as the endpoint runs them):`);
    console.log(
      '| query | matches (readable / all) | scoped p50 | scoped p95 | unscoped p50 | unscoped p95 | ratio p50 | ratio p95 |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      console.log(
        `| ${r.name} | ${r.avgReadable.toFixed(0)} / ${r.avgMatching.toFixed(0)} | ${r.scoped.p50.toFixed(1)} ms | ${r.scoped.p95.toFixed(1)} ms | ${r.unscoped.p50.toFixed(1)} ms | ${r.unscoped.p95.toFixed(1)} ms | ${(r.scoped.p50 / r.unscoped.p50).toFixed(2)}× | ${(r.scoped.p95 / r.unscoped.p95).toFixed(2)}× |`,
      );
    }
  });
}

// Prints the plan of the statement a store function runs, by capturing it through Kysely's compile step.
async function explain(db, run) {
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
  await run(logged);
  const node = captured.at(-1);
  if (!node) return;
  const compiled = db.getExecutor().compileQuery(node, { queryId: 'explain' });
  const plan = await db
    .getExecutor()
    .executeQuery(
      { ...compiled, sql: `EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) ${compiled.sql}` },
      { queryId: 'explain' },
    );
  for (const row of plan.rows) console.log(`  ${Object.values(row)[0]}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
