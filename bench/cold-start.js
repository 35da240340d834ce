#!/usr/bin/env node
// Cold-start benchmark: how long `entente serve --demo` takes to answer GET /api/health
// (a) on an empty data directory (migrations + demo scenario) and (b) when restarted on that
// directory, and how much memory the idle server holds. Results go in bench/RESULTS.md.
//
//   npm run build && node bench/cold-start.js [--runs 3]
//
// Exits non-zero only when the server fails to start; the 5 s target is reported, not asserted.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'entente.js');
const TARGET_MS = 5000;
const POLL_MS = 50;
const START_TIMEOUT_MS = 120_000;
const IDLE_MS = 5000;

function parseArgs(argv) {
  const opts = { runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs' || a.startsWith('--runs=')) {
      const v = a.includes('=') ? a.split('=')[1] : argv[++i];
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--runs needs a positive integer, got "${v}"`);
      opts.runs = n;
    } else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/cold-start.js [--runs N]   (build first: npm run build)');
      process.exit(0);
    } else {
      throw new Error(`unknown argument "${a}"`);
    }
  }
  return opts;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process in MiB, from /proc (Linux). */
function rssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts the server and resolves once /api/health answers 200, with the elapsed time. */
async function startServer(dataDir) {
  const port = await freePort();
  const env = { ...process.env, ENTENTE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  // The benchmark measures the embedded deployment, whatever the shell has configured.
  delete env.DATABASE_URL;
  delete env.NATS_URL;
  delete env.NODE_ENV;
  delete env.ENTENTE_DEMO;
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', String(port)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d) => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}/api/health`;
  while (performance.now() - started < START_TIMEOUT_MS) {
    if (exited) break;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) {
        await res.arrayBuffer();
        return { child, port, ms: performance.now() - started };
      }
      await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS);
  }
  child.kill('SIGKILL');
  const why = exited
    ? `exited with ${exited.code ?? exited.signal}`
    : `did not answer within ${START_TIMEOUT_MS / 1000} s`;
  throw new Error(`server ${why}; last output:\n${output}`);
}

/** Stops the server gracefully (so PGlite closes its data directory) and waits for it. */
async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function oneRun(i, runs) {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'entente-bench-'));
  try {
    const first = await startServer(dataDir);
    await sleep(IDLE_MS);
    const firstRss = rssMiB(first.child.pid);
    await stopServer(first.child);

    const again = await startServer(dataDir);
    await sleep(IDLE_MS);
    const againRss = rssMiB(again.child.pid);
    await stopServer(again.child);
    const r = { firstMs: first.ms, restartMs: again.ms, firstRss, restartRss: againRss };
    console.log(
      `run ${i + 1}/${runs}: first start ${fmtS(r.firstMs)}, restart ${fmtS(r.restartMs)}, ` +
        `idle RSS ${fmtMiB(r.firstRss)} / ${fmtMiB(r.restartRss)}`,
    );
    return r;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmtS = (ms) => (ms == null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const fmtMiB = (m) => (m == null ? 'n/a' : `${m.toFixed(0)} MiB`);

function stats(values) {
  const v = values.filter((x) => x != null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1] };
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => `| ${r.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`;
  return [
    line(rows[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

async function main() {
  let runs;
  try {
    ({ runs } = parseArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(`bench: ${err.message}`);
    process.exit(2);
  }
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) {
    console.error('bench: dist/ is missing; run `npm run build` first.');
    process.exit(1);
  }
  const cpus = os.cpus();
  const machine = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
  };
  console.log(`Entente cold start, ${runs} run(s): embedded PGlite, in-process bus, demo scenario`);
  console.log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory} RAM, ${machine.os}, node ${machine.node}`,
  );

  const results = [];
  for (let i = 0; i < runs; i++) {
    try {
      results.push(await oneRun(i, runs));
    } catch (err) {
      console.error(`run ${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
  }

  const metrics = [
    ['first start (empty data dir: migrations + demo)', stats(results.map((r) => r.firstMs)), fmtS],
    ['restart (existing data dir)', stats(results.map((r) => r.restartMs)), fmtS],
    ['idle RSS after first start (5 s idle)', stats(results.map((r) => r.firstRss)), fmtMiB],
    ['idle RSS after restart (5 s idle)', stats(results.map((r) => r.restartRss)), fmtMiB],
  ];
  const rows = [['metric', 'median', 'min', 'max']];
  for (const [name, s, fmt] of metrics) {
    rows.push(s ? [name, fmt(s.median), fmt(s.min), fmt(s.max)] : [name, 'n/a', 'n/a', 'n/a']);
  }
  console.log('');
  console.log(table(rows));
  console.log('');
  const first = stats(results.map((r) => r.firstMs));
  const restart = stats(results.map((r) => r.restartMs));
  const verdict = (s) => (s && s.median <= TARGET_MS ? 'within' : 'OVER');
  console.log(
    `target ${TARGET_MS / 1000} s to healthy: first start ${verdict(first)}, restart ${verdict(restart)} (medians)`,
  );
  console.log(
    `machine: ${machine.date}, ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, ${machine.os}, node ${machine.node}`,
  );
}

await main();
