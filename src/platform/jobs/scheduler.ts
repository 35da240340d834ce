import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';

/** A periodic background job. `run` must be idempotent: it may run again after a crash. */
export interface Job {
  name: string;
  /** Overrides the configured interval (e.g. the outbox relay runs more often). */
  intervalMs?: number;
  run(ctx: AppContext): Promise<unknown>;
}

const HOLDER = randomUUID();

/**
 * Takes or renews the job's lease. With several API processes on one PostgreSQL, only the lease
 * holder runs a periodic job; a crashed holder's lease lapses after `ttlMs`.
 */
export async function acquireLease(ctx: AppContext, name: string, ttlMs: number): Promise<boolean> {
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + ttlMs);
  const result = await ctx.db
    .insertInto('job_leases')
    .values({ name, holder: HOLDER, expires_at: expires, last_run_at: now })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder: HOLDER, expires_at: expires, last_run_at: now })
        .where((eb) => eb.or([eb('job_leases.holder', '=', HOLDER), eb('job_leases.expires_at', '<', now)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return result?.holder === HOLDER;
}

/** Starts the jobs on timers; returns a function that stops them and waits for running ones. */
export function startJobs(
  ctx: AppContext,
  jobs: Job[],
  log: (msg: string, err?: unknown) => void,
): () => Promise<void> {
  if (ctx.config.jobIntervalMs === 0) return async () => {};
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const job of jobs) {
    const interval = job.intervalMs ?? ctx.config.jobIntervalMs;
    const tick = async () => {
      if (stopped) return;
      try {
        if (await acquireLease(ctx, job.name, interval * 3)) await job.run(ctx);
      } catch (err) {
        log(`job ${job.name} failed`, err);
      }
    };
    const fire = () => {
      const p = tick();
      running.add(p);
      void p.finally(() => running.delete(p));
    };
    fire();
    timers.push(setInterval(fire, interval));
  }
  return async () => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([...running]);
  };
}
