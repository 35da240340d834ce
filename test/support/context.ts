import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { ManualClock } from '../../src/platform/clock.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';

let shared: Promise<Runtime> | undefined;

/**
 * One migrated database per test worker: in-memory PGlite, or the PostgreSQL of DATABASE_URL.
 * Tests isolate themselves by the organizations they create, never by a database each.
 */
export function workerRuntime(): Promise<Runtime> {
  shared ??= openRuntime(
    loadConfig({
      NODE_ENV: 'test',
      ENTENTE_DATA_DIR: 'memory://',
      ENTENTE_JOB_INTERVAL_MS: '0',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      ...(process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL } : {}),
    }),
  );
  return shared;
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
}

/** A context on the worker's database with its own movable clock, and an app built on it. */
export async function createTestApp(start = new Date('2026-06-01T12:00:00Z')): Promise<TestApp> {
  const runtime = await workerRuntime();
  const clock = new ManualClock(start);
  const ctx: AppContext = { ...runtime.ctx, clock };
  const app = await buildApp(ctx);
  await app.ready();
  return { app, ctx, clock };
}
