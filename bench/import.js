#!/usr/bin/env node
/**
 * Import benchmark: generates N FollowTheMoney entities as a stream of JSON lines (people,
 * companies and ownership links between them) and imports them through `runImport`, the code path
 * of `entente import` and POST /api/v1/imports, into a fresh database. Reports entities per second
 * and the peak resident memory of this process.
 *
 *   node bench/import.js                       # 100,000 entities on PGlite (+ PostgreSQL if DATABASE_URL)
 *   node bench/import.js --entities 1000000
 *   node bench/import.js --db pglite|postgres|both
 *   node bench/import.js --from src            # the TypeScript sources through tsx
 *
 * PGlite runs in a temporary data directory (removed afterwards). With DATABASE_URL, a scratch
 * database `entente_bench_import_<pid>` is created on that server and dropped afterwards; the
 * database named in DATABASE_URL is only used to connect. Runs the compiled server in dist/ (build
 * first: npm run build), or the TypeScript sources through tsx with --from src.
 */
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const N = Number(arg('entities', '100000'));
const which = arg('db', process.env.DATABASE_URL ? 'both' : 'pglite');
if (!Number.isInteger(N) || N <= 0) throw new Error('--entities must be a positive integer');

const here = import.meta.url;
// The compiled server by default (what `entente import` and the API run); `--from src` runs the
// TypeScript sources through tsx, which adds its loader's work to the figures.
const fromSrc = arg('from', 'dist') === 'src';
if (!fromSrc && !existsSync(new URL('../dist/main.js', here))) {
  console.error('bench: dist/ is missing; run `npm run build` first (or pass --from src).');
  process.exit(1);
}
const load = (path) => (fromSrc ? tsImport(`../src/${path}.ts`, here) : import(`../dist/${path}.js`));
const { loadConfig } = await load('config');
const { openRuntime } = await load('runtime');
const { runImport } = await load('features/transfer/imports.service');

const FIRST = ['Ana', 'Omar', 'Li', 'Fatou', 'Ivan', 'Maria', 'Kwame', 'Sofia', 'Arjun', 'Elena'];
const LAST = ['Gomez', 'Haddad', 'Wei', 'Diallo', 'Petrov', 'Rossi', 'Mensah', 'Silva', 'Rao', 'Novak'];
const COUNTRIES = ['es', 'ma', 'cn', 'sn', 'ru', 'it', 'gh', 'br', 'in', 'hr'];

/** Entity i: 60% people, 30% companies, 10% ownership links to the two entities before it. */
function entity(i) {
  const k = i % 10;
  if (k === 9 && i >= 2) {
    return { id: `e${i}`, schema: 'Ownership', properties: { owner: [`e${i - 2}`], asset: [`e${i - 1}`] } };
  }
  if (k >= 6) {
    return {
      id: `e${i}`,
      schema: 'Company',
      properties: { name: [`${LAST[i % 10]} Trading ${i}`], jurisdiction: [COUNTRIES[(i >> 3) % 10]] },
    };
  }
  return {
    id: `e${i}`,
    schema: 'Person',
    properties: {
      name: [`${FIRST[i % 10]} ${LAST[(i >> 4) % 10]} ${i}`],
      birthDate: [`19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`],
      nationality: [COUNTRIES[(i >> 2) % 10]],
    },
  };
}

/** The file as a stream of ~64 KiB chunks: never held in memory as a whole. */
async function* file(n) {
  const enc = new TextEncoder();
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `${JSON.stringify(entity(i))}\n`;
    if (buf.length >= 65536) {
      yield enc.encode(buf);
      buf = '';
    }
  }
  if (buf) yield enc.encode(buf);
}

async function bench(kind) {
  let dataDir = 'memory://';
  let databaseUrl;
  let admin;
  let scratch;
  if (kind === 'pglite') {
    dataDir = mkdtempSync(join(tmpdir(), 'entente-bench-import-'));
  } else {
    if (!process.env.DATABASE_URL) throw new Error('--db postgres needs DATABASE_URL');
    scratch = `entente_bench_import_${process.pid}`;
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${scratch}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${scratch}`;
    databaseUrl = url.toString();
  }
  const runtime = await openRuntime(
    loadConfig({
      NODE_ENV: 'test',
      ENTENTE_DATA_DIR: dataDir,
      ENTENTE_JOB_INTERVAL_MS: '0',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
  );
  try {
    const { db } = runtime.ctx;
    const now = new Date();
    const orgId = randomUUID();
    const userId = randomUUID();
    await db
      .insertInto('organizations')
      .values({
        id: orgId,
        slug: `bench-${orgId.slice(0, 8)}`,
        name: 'Benchmark Agency',
        short_name: null,
        kind: 'national',
        region: 'europe',
        countries: ['es'],
        agency_type: 'police',
        crime_areas: ['drug_trafficking'],
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('users')
      .values({
        id: userId,
        organization_id: orgId,
        email: `bench-${userId.slice(0, 8)}@bench.example`,
        display_name: 'Bench',
        password_hash: 'x',
        roles: ['analyst'],
        mfa_secret: null,
        locked_until: null,
        disabled_at: null,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const actor = {
      userId,
      organizationId: orgId,
      email: 'bench@bench.example',
      displayName: 'Bench',
      roles: ['analyst'],
      via: 'system',
      scopes: null,
    };
    global.gc?.();
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);
    let lastPrint = 0;
    const t0 = performance.now();
    const summary = await runImport(runtime.ctx, actor, {
      format: 'ftm',
      source: file(N),
      defaults: {
        tlp: 'TLP:AMBER',
        codes: ['H0'],
        evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
        purposes: ['criminal_investigation'],
        crimeAreas: ['drug_trafficking'],
        subjectCategory: 'suspect',
      },
      onProgress: (p) => {
        const t = performance.now();
        if (t - lastPrint < 5000) return;
        lastPrint = t;
        const rate = Math.round(p.processed / ((t - t0) / 1000));
        process.stderr.write(`  ${kind}: ${p.processed} processed, ${rate}/s\n`);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (summary.status !== 'done' || summary.created !== N) {
      throw new Error(
        `import did not complete: ${JSON.stringify({ ...summary, errors: summary.errors.slice(0, 3) })}`,
      );
    }
    return { kind, seconds, rate: N / seconds, peakMiB: peak / 1024 / 1024 };
  } finally {
    await runtime.close();
    if (kind === 'pglite') rmSync(dataDir, { recursive: true, force: true });
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
      await admin.end();
    }
  }
}

let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
} catch {}
const machine = `${cpus()[0]?.model.trim() ?? 'cpu'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform} ${process.arch}, Node ${process.versions.node}`;
const kinds = which === 'both' ? ['pglite', 'postgres'] : [which];
const results = [];
for (const kind of kinds) {
  process.stderr.write(`importing ${N} entities into ${kind}…\n`);
  results.push(await bench(kind));
}
console.log(`\n| date | machine | commit | database | entities | time | entities/s | peak RSS |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${new Date().toISOString().slice(0, 10)} | ${machine} | ${commit} | ${r.kind} | ${N.toLocaleString('en')} | ${r.seconds.toFixed(1)} s | ${Math.round(r.rate).toLocaleString('en')} | ${Math.round(r.peakMiB)} MiB |`,
  );
}
