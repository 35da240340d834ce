import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../platform/auth/actor.js';
import { systemActorFor } from '../../platform/auth/system-actor.js';
import { Problem } from '../../platform/http/problem.js';
import { openRuntime } from '../../runtime.js';
import { DATASET_NAMES, type DatasetName, loadNamedDataset } from './datasets.js';
import { drainMatchQueue } from './matching.engine.js';
import { evaluateThroughPipeline, type PipelineMetrics } from './matching.eval.js';
import { listKeys, rotateKey } from './matching.keys.js';
import { checkEntity } from './matching.service.js';
import { createXrefJob, getXrefJob, waitForXref, xrefResults } from './xref.service.js';

/*
 * `entente match …`: the matching tasks from a terminal, as a named user (checks and
 * cross-referencing go through the same services, limits and audit as the API), plus the
 * evaluation on labelled data sets, which runs on a database of its own.
 */

async function actorFor(ctx: AppContext, email: string): Promise<Actor> {
  const actor = await systemActorFor(ctx.db, email);
  if (!actor) throw new Error(`no active user ${email}`);
  return actor;
}

function describeError(err: unknown): string {
  if (err instanceof Problem)
    return err.errors.length > 0 ? err.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : err.message;
  return err instanceof Error ? err.message : String(err);
}

/** Runs a command body on the configured database; prints errors and sets the exit code. */
async function withRuntime(name: string, body: (ctx: AppContext) => Promise<void>): Promise<void> {
  const runtime = await openRuntime(loadConfig());
  try {
    await body(runtime.ctx);
  } catch (err) {
    console.error(`entente match ${name}: ${describeError(err)}`);
    process.exitCode = 1;
  } finally {
    await runtime.close();
  }
}

function parseProps(pairs: string[]): Record<string, string[]> {
  const properties: Record<string, string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--prop wants property=value, got "${pair}"`);
    const key = pair.slice(0, at);
    const values = properties[key] ?? [];
    values.push(pair.slice(at + 1));
    properties[key] = values;
  }
  return properties;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function metricsLine(label: string, m: PipelineMetrics): string {
  return (
    `${label.padEnd(10)} top-1 ${m.top1.toFixed(3)} (${m.rankedQueries} queries)  ` +
    `P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)}  ` +
    `blocking recall ${m.blockingRecall.toFixed(3)}  candidate pairs ${m.candidatePairs}`
  );
}

export function registerMatchCommands(program: Command): void {
  const match = program.command('match').description('Cross-jurisdiction matching.');

  match
    .command('status')
    .description('Index size, queue and keys.')
    .action(() =>
      withRuntime('status', async (ctx) => {
        const queued = await ctx.db
          .selectFrom('match_queue')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        console.log(`queued for matching: ${queued.n}`);
        for (const k of await listKeys(ctx))
          console.log(`key ${k.id}: ${k.status}, ${k.entities} entities, created ${k.createdAt}`);
      }),
    );

  match
    .command('run')
    .description('Match everything queued now (the server does it every few seconds).')
    .action(() =>
      withRuntime('run', async (ctx) => {
        const run = await drainMatchQueue(ctx);
        console.log(
          `${run.records} queued records: ${run.indexed} indexed, ${run.removed} removed; ` +
            `hits ${run.hits.created} new, ${run.hits.updated} refreshed, ${run.hits.closed} closed; ` +
            `${run.cappedKeys} over-common values skipped`,
        );
      }),
    );

  match
    .command('check')
    .description('Hit/no-hit check of an entity, as a user (limited and audited like the API).')
    .requiredOption('--user <email>', 'the user checking')
    .option('--schema <schema>', 'FollowTheMoney schema', 'Person')
    .requiredOption('--prop <property=value...>', 'properties, e.g. name="Ana Lima" birthDate=1980-02-01')
    .action((opts: { user: string; schema: string; prop: string[] }) =>
      withRuntime('check', async (ctx) => {
        const actor = await actorFor(ctx, opts.user);
        const result = await checkEntity(ctx, actor, {
          schema: opts.schema,
          properties: parseProps(opts.prop),
        });
        for (const o of result.organizations) {
          console.log(
            o.result === 'hit'
              ? `HIT     ${o.organization.name}  score ${o.score}  (${(o.features ?? []).join(' + ')})\n        reference ${o.reference}`
              : `no hit  ${o.organization.name}`,
          );
        }
        if (result.organizations.length === 0) console.log('no organization allows matching with yours');
        if (result.cappedKeys > 0) console.log(`${result.cappedKeys} over-common values were not compared`);
      }),
    );

  match
    .command('xref')
    .description("Cross-reference the user's organization (or one import) against every partner.")
    .requiredOption('--user <email>', 'the user running it')
    .option('--import <id>', 'only the records of this import')
    .option('--include-own', 'also look for duplicates inside the organization')
    .option('--top <n>', 'results to print', (v) => Number.parseInt(v, 10), 20)
    .action((opts: { user: string; import?: string; includeOwn?: boolean; top: number }) =>
      withRuntime('xref', async (ctx) => {
        const actor = await actorFor(ctx, opts.user);
        const job = await createXrefJob(ctx, actor, {
          importJobId: opts.import,
          includeOwn: opts.includeOwn,
        });
        const timer = setInterval(async () => {
          const j = await getXrefJob(ctx, actor, job.id).catch(() => null);
          if (j) process.stderr.write(`processed ${j.processed} / ${j.total}, ${j.results} results\n`);
        }, 1000);
        await waitForXref(job.id);
        clearInterval(timer);
        const done = await getXrefJob(ctx, actor, job.id);
        console.log(
          `cross-reference ${done.id}: ${done.status}${done.failure ? ` (${done.failure})` : ''}; ` +
            `${done.processed} records, ${done.results} results, ${done.cappedKeys} over-common values skipped`,
        );
        const results = await xrefResults(ctx, actor, job.id, { pageSize: opts.top });
        for (const r of results.items) {
          const other = r.otherRecord ? `own record "${r.otherRecord.caption}"` : r.otherOrganization.name;
          console.log(
            `${r.score.toFixed(3)}  "${r.record.caption}" ↔ ${other}  (${r.features.join(' + ')})${r.hit ? `  ${r.hit.reference}` : ''}`,
          );
        }
        if (done.status !== 'done') process.exitCode = 1;
      }),
    );

  match
    .command('rotate-key')
    .description('Make a new blind key; everything is re-encoded under it by the match job.')
    .action(() =>
      withRuntime('rotate-key', async (ctx) => {
        const { previous, active } = await rotateKey(ctx);
        console.log(`active key ${active}${previous ? `; ${previous} is retiring until re-encoded` : ''}`);
      }),
    );

  match
    .command('eval')
    .description(
      'Measure linkage quality through the real pipeline (import, match job, blind encodings) on labelled data sets, in a database of its own.',
    )
    .option('--dataset <name...>', `data sets: ${DATASET_NAMES.join(', ')}, or all`, ['all'])
    .option('--data-dir <dir>', 'directory holding febrl/ and aliases-ofac/', '../shared/data')
    .option('--database-url <url>', 'a scratch PostgreSQL database to use instead of an in-memory PGlite')
    .option('--json', 'print the results as JSON')
    .action(async (opts: { dataset: string[]; dataDir: string; databaseUrl?: string; json?: boolean }) => {
      const names = (opts.dataset.includes('all') ? [...DATASET_NAMES] : opts.dataset) as DatasetName[];
      for (const n of names) {
        if (!(DATASET_NAMES as readonly string[]).includes(n)) {
          console.error(`entente match eval: unknown data set ${n} (${DATASET_NAMES.join(', ')})`);
          process.exitCode = 1;
          return;
        }
      }
      const config = loadConfig({
        ...process.env,
        NODE_ENV: 'development',
        // A throwaway database under a throwaway key: nothing of an evaluation outlives the run.
        ENTENTE_SECRET_KEY: randomBytes(32).toString('hex'),
        ENTENTE_DATA_DIR: 'memory://',
        ENTENTE_JOB_INTERVAL_MS: '0',
        DATABASE_URL: opts.databaseUrl ?? '',
        NATS_URL: '',
      });
      const runtime = await openRuntime(config);
      const all = [];
      try {
        for (const name of names) {
          const dataset = loadNamedDataset(name, resolve(opts.dataDir));
          const result = await evaluateThroughPipeline(runtime.ctx, dataset, {
            country: name.startsWith('febrl') ? 'AU' : 'US',
            onProgress: (line) => process.stderr.write(`${name}: ${line}\n`),
          });
          all.push(result);
          if (!opts.json) {
            console.log(
              `\n${name}: ${result.imported} records imported (${result.rejected} rejected), threshold ${result.threshold}; ` +
                `import ${result.seconds.import.toFixed(1)} s, match job ${result.seconds.index.toFixed(1)} s, search ${result.seconds.search.toFixed(1)} s`,
            );
            console.log(metricsLine('overall', result.overall));
            for (const [seg, m] of Object.entries(result.segments)) console.log(metricsLine(seg, m));
            console.log(
              `           true pairs ${result.overall.truePairs}, recall ${pct(result.overall.recall)}`,
            );
          }
        }
        if (opts.json) console.log(JSON.stringify(all, null, 2));
      } finally {
        await runtime.close();
      }
    });
}
