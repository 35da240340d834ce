import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { ManualClock } from '../clock.js';
import { type DatabaseHandle, type Db, openDatabase } from '../db/db.js';
import { migrateToLatest } from '../db/migrate.js';
import { type EventBus, type EventHandler, MemoryEventBus } from './bus.js';
import { type DomainEvent, emit } from './outbox.js';
import {
  outboxRelayJob,
  RELAY_BACKOFF_MAX_MS,
  RELAY_CLAIM_MS,
  relayBackoffMs,
  relayOutbox,
} from './relay.js';

/**
 * The relay takes every due row of the outbox, so these tests need an outbox no other test writes
 * to: a private database (a fresh PostgreSQL database when DATABASE_URL is set, so SKIP LOCKED is
 * exercised for real; otherwise in-memory PGlite).
 */
async function privateDatabase(): Promise<DatabaseHandle> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const handle = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    return handle;
  }
  const name = `entente_relay_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://' });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

/** A bus that records what it is given and fails for topics the test chooses. */
class RecordingBus implements EventBus {
  readonly kind = 'memory' as const;
  readonly published: DomainEvent[] = [];
  failing = new Set<string>();
  delayMs = 0;
  subscribe(_pattern: string, _handler: EventHandler): () => void {
    return () => {};
  }
  async publish(event: DomainEvent): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failing.has(event.topic)) throw new Error(`broker rejected ${event.topic}`);
    this.published.push(event);
  }
  async close(): Promise<void> {}
}

let handle: DatabaseHandle;
let db: Db;
const onPostgres = Boolean(process.env.DATABASE_URL);

beforeAll(async () => {
  handle = await privateDatabase();
  db = handle.db;
});
afterAll(async () => {
  await handle?.close();
});

async function clearOutbox(): Promise<void> {
  await db.deleteFrom('outbox').execute();
}

async function outboxRow(eventId: string) {
  return db.selectFrom('outbox').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow();
}

describe('relayBackoffMs', () => {
  it('doubles from one second and is capped', () => {
    expect([1, 2, 3, 4].map(relayBackoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(relayBackoffMs(9)).toBe(256_000);
    expect(relayBackoffMs(10)).toBe(RELAY_BACKOFF_MAX_MS);
    expect(relayBackoffMs(10_000)).toBe(RELAY_BACKOFF_MAX_MS);
  });
});

describe('relayOutbox', () => {
  it('publishes due events in id order, exactly as emitted, and marks them sent', async () => {
    await clearOutbox();
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const bus = new RecordingBus();
    const emitted: DomainEvent[] = [];
    for (let i = 0; i < 5; i++) {
      emitted.push(await emit(db, clock.now(), `test.step.${i}`, { i, nested: { ok: true } }));
      clock.advance(10);
    }
    const result = await relayOutbox({ db, clock, bus }, { batch: 50 });
    expect(result).toEqual({ sent: 5, failed: 0 });
    expect(bus.published).toEqual(emitted);
    for (const e of emitted) {
      const row = await outboxRow(e.id);
      expect(row.sent_at?.toISOString()).toBe(clock.now().toISOString());
      expect(row.attempts).toBe(1);
      expect(row.last_error).toBeNull();
    }
    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 0, failed: 0 });
    expect(bus.published).toHaveLength(5);
  });

  it('honours the batch size and leaves the rest for the next call', async () => {
    await clearOutbox();
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const bus = new RecordingBus();
    for (let i = 0; i < 7; i++) await emit(db, clock.now(), 'test.batch', { i });
    expect(await relayOutbox({ db, clock, bus }, { batch: 3 })).toEqual({ sent: 3, failed: 0 });
    expect(bus.published.map((e) => e.payload.i)).toEqual([0, 1, 2]);
    expect(await relayOutbox({ db, clock, bus }, { batch: 3 })).toEqual({ sent: 3, failed: 0 });
    expect(await relayOutbox({ db, clock, bus }, { batch: 3 })).toEqual({ sent: 1, failed: 0 });
    expect(bus.published.map((e) => e.payload.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('does not send events that are not due yet, nor events of a rolled-back transaction', async () => {
    await clearOutbox();
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const bus = new RecordingBus();
    const later = await emit(db, new Date(clock.now().getTime() + 60_000), 'test.later', {});
    await expect(
      db.transaction().execute(async (trx) => {
        await emit(trx, clock.now(), 'test.rolled-back', {});
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 0, failed: 0 });
    clock.advance(60_000);
    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 1, failed: 0 });
    expect(bus.published.map((e) => e.id)).toEqual([later.id]);
  });

  it('records a failure with backoff, goes on with the batch, and retries until delivered', async () => {
    await clearOutbox();
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const bus = new RecordingBus();
    bus.failing.add('test.poison');
    const first = await emit(db, clock.now(), 'test.ok', { n: 1 });
    const poison = await emit(db, clock.now(), 'test.poison', { n: 2 });
    const third = await emit(db, clock.now(), 'test.ok', { n: 3 });

    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 2, failed: 1 });
    expect(bus.published.map((e) => e.id)).toEqual([first.id, third.id]);
    let row = await outboxRow(poison.id);
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('broker rejected test.poison');
    expect(row.next_attempt_at.getTime()).toBe(clock.now().getTime() + 1000);

    // Not due again before its backoff has passed.
    clock.advance(999);
    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 0, failed: 0 });
    clock.advance(1);
    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 0, failed: 1 });
    row = await outboxRow(poison.id);
    expect(row.attempts).toBe(2);
    expect(row.next_attempt_at.getTime()).toBe(clock.now().getTime() + 2000);

    bus.failing.clear();
    clock.advance(2000);
    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 1, failed: 0 });
    row = await outboxRow(poison.id);
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(3);
    expect(row.last_error).toBeNull();
    expect(bus.published.map((e) => e.id)).toEqual([first.id, third.id, poison.id]);
  });

  it('never gives a row to two relays running at the same time', async () => {
    await clearOutbox();
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const bus = new RecordingBus();
    bus.delayMs = 5;
    const ids = new Set<string>();
    for (let i = 0; i < 40; i++) ids.add((await emit(db, clock.now(), 'test.race', { i })).id);
    const [a, b] = await Promise.all([
      relayOutbox({ db, clock, bus }, { batch: 25 }),
      relayOutbox({ db, clock, bus }, { batch: 25 }),
    ]);
    const published = bus.published.map((e) => e.id);
    expect(a.sent + b.sent).toBe(published.length);
    expect(new Set(published).size).toBe(published.length);
    // Whatever the first round left (PGlite serialises the two), the next round completes.
    await relayOutbox({ db, clock, bus }, { batch: 100 });
    expect(new Set(bus.published.map((e) => e.id))).toEqual(ids);
    expect(bus.published).toHaveLength(40);
  });

  it.skipIf(!onPostgres)(
    'skips rows another relay is claiming right now, without waiting for it (PostgreSQL)',
    async () => {
      await clearOutbox();
      const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
      const bus = new RecordingBus();
      const events: DomainEvent[] = [];
      for (let i = 0; i < 5; i++) events.push(await emit(db, clock.now(), 'test.locked', { i }));
      const lockedIds = events.slice(0, 3).map((e) => e.id);
      await db.transaction().execute(async (trx) => {
        // Another process's claim transaction, caught between its SELECT … FOR UPDATE and commit.
        await trx.selectFrom('outbox').select('id').where('event_id', 'in', lockedIds).forUpdate().execute();
        const result = await Promise.race([
          relayOutbox({ db, clock, bus }),
          new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 3000)),
        ]);
        expect(result).toEqual({ sent: 2, failed: 0 });
      });
      expect(bus.published.map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));
      expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 3, failed: 0 });
    },
  );

  it('leaves a claimed row to another relay only once the claim has lapsed (crash mid-publish)', async () => {
    await clearOutbox();
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const event = await emit(db, clock.now(), 'test.crash', {});
    // A relay that dies while publishing: its bus never answers.
    const hanging: EventBus = {
      kind: 'memory',
      subscribe: () => () => {},
      publish: () => new Promise<void>(() => {}),
      close: async () => {},
    };
    void relayOutbox({ db, clock, bus: hanging });
    const claimed = async () => (await outboxRow(event.id)).next_attempt_at.getTime() > clock.now().getTime();
    for (let i = 0; i < 200 && !(await claimed()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await claimed()).toBe(true);

    const bus = new RecordingBus();
    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 0, failed: 0 });
    clock.advance(RELAY_CLAIM_MS);
    expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 1, failed: 0 });
    expect(bus.published.map((e) => e.id)).toEqual([event.id]);
  });
});

describe('outboxRelayJob', () => {
  it('runs every second and drains more than one batch per tick into the bus', async () => {
    await clearOutbox();
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const bus = new MemoryEventBus();
    const received: string[] = [];
    bus.subscribe('test.job.*', (e) => {
      received.push(e.id);
    });
    const rows = Array.from({ length: 130 }, (_, i) => ({
      event_id: randomUUID(),
      topic: `test.job.${i % 3}`,
      payload: JSON.stringify({ i }),
      created_at: clock.now(),
      next_attempt_at: clock.now(),
    }));
    await db.insertInto('outbox').values(rows).execute();
    expect(outboxRelayJob.intervalMs).toBe(1000);
    const result = await outboxRelayJob.run({
      config: loadConfig({ NODE_ENV: 'test', ENTENTE_DATA_DIR: 'memory://' }),
      db,
      dbKind: handle.kind,
      clock,
      bus,
    });
    expect(result).toEqual({ sent: 130, failed: 0 });
    expect(received).toEqual(rows.map((r) => r.event_id));
    const unsent = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('sent_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(unsent.n)).toBe(0);
  });
});
