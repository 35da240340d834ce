import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { type DatabaseHandle, openDatabase } from '../db/db.js';
import { migrateToLatest } from '../db/migrate.js';
import type { EventBus } from './bus.js';
import { createNatsBus } from './nats-bus.js';
import { type DomainEvent, emit } from './outbox.js';
import { RELAY_BACKOFF_MAX_MS, relayOutbox } from './relay.js';

const NATS_URL = process.env.NATS_URL;
const NATS_SERVER = '/usr/sbin/nats-server';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until `check` holds, polling; fails the test with `what` after `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function event(topic: string, payload: Record<string, unknown> = {}): DomainEvent {
  return { id: randomUUID(), topic, at: new Date().toISOString(), payload };
}

/** A NATS server this test owns, so it can stop and restart the broker under a live bus. */
class OwnNatsServer {
  private proc: ChildProcess | undefined;
  readonly storeDir = mkdtempSync(join(tmpdir(), 'entente-nats-'));
  constructor(readonly port: number) {}
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.proc = spawn(
      NATS_SERVER,
      ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir],
      {
        stdio: 'ignore',
      },
    );
    await eventually(() => portOpen(this.port), `nats-server on port ${this.port}`);
  }
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
    this.proc = undefined;
  }
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

describe.skipIf(!NATS_URL)('NATS JetStream bus (skipped: set NATS_URL=nats://host:4222 to run)', () => {
  const url = NATS_URL ?? '';
  let first: EventBus;
  let second: EventBus;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    // Two buses stand for two processes: each has its own connection and its own consumer.
    [first, second, handle] = await Promise.all([
      createNatsBus(url),
      createNatsBus(url),
      openDatabase({ dataDir: 'memory://' }),
    ]);
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close(), handle?.close()]);
  });

  it('delivers an event published by one process to the subscribers of every process', async () => {
    const ns = `test.nats${randomUUID().slice(0, 8)}`;
    const onSecond: DomainEvent[] = [];
    const onFirst: DomainEvent[] = [];
    const unrelated: DomainEvent[] = [];
    second.subscribe(`${ns}.*`, (e) => {
      onSecond.push(e);
    });
    first.subscribe(`${ns}.>`, (e) => {
      onFirst.push(e);
    });
    second.subscribe(`${ns}.other`, (e) => {
      unrelated.push(e);
    });
    const sent = event(`${ns}.created`, { recordId: 'r-1', n: 1 });
    await first.publish(sent);
    await eventually(() => onSecond.length === 1 && onFirst.length === 1, 'delivery to both processes');
    expect(onSecond[0]).toEqual(sent);
    expect(onFirst[0]).toEqual(sent);
    expect(unrelated).toEqual([]);
  });

  it('drops a re-published event id (JetStream deduplication) so subscribers see it once', async () => {
    const ns = `test.nats${randomUUID().slice(0, 8)}`;
    const seen: string[] = [];
    second.subscribe(`${ns}.>`, (e) => {
      seen.push(e.id);
    });
    const once = event(`${ns}.a`);
    const marker = event(`${ns}.b`);
    await first.publish(once);
    await second.publish(once); // another process's relay repeating a delivery it was unsure of
    await first.publish(marker);
    await eventually(() => seen.includes(marker.id), 'the marker event');
    expect(seen).toEqual([once.id, marker.id]);
  });

  it('relays the outbox through NATS and marks the events sent', async () => {
    const ns = `test.nats${randomUUID().slice(0, 8)}`;
    const clock = new ManualClock(new Date('2026-04-01T08:00:00Z'));
    const received: DomainEvent[] = [];
    second.subscribe(`${ns}.>`, (e) => {
      received.push(e);
    });
    const emitted: DomainEvent[] = [];
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) emitted.push(await emit(trx, clock.now(), `${ns}.step`, { i }));
    });
    expect(await relayOutbox({ db: handle.db, clock, bus: first })).toEqual({ sent: 3, failed: 0 });
    await eventually(() => received.length === 3, 'three relayed events');
    expect(received).toEqual(emitted);
    const rows = await handle.db
      .selectFrom('outbox')
      .select(['event_id', 'sent_at'])
      .where('topic', '=', `${ns}.step`)
      .execute();
    expect(rows.every((r) => r.sent_at !== null)).toBe(true);
  });

  it('loses nothing while the broker is down: failures are counted, delivery resumes when it is back', async () => {
    const server = new OwnNatsServer(await freePort());
    const database = await openDatabase({ dataDir: 'memory://' });
    const db = database.db;
    let bus: EventBus | undefined;
    try {
      await migrateToLatest(db);
      await server.start();
      bus = await createNatsBus(server.url, { publishTimeoutMs: 1000, reconnectWaitMs: 100 });
      const received: string[] = [];
      bus.subscribe('test.outage.>', (e) => {
        received.push(e.id);
      });
      const clock = new ManualClock(new Date('2026-04-01T08:00:00Z'));
      const a = await emit(db, clock.now(), 'test.outage.a', {});
      const b = await emit(db, clock.now(), 'test.outage.b', {});

      await server.stop();
      expect(await relayOutbox({ db, clock, bus })).toEqual({ sent: 0, failed: 2 });
      const down = await db.selectFrom('outbox').selectAll().orderBy('id').execute();
      expect(down.map((r) => [r.event_id, r.attempts, r.sent_at])).toEqual([
        [a.id, 1, null],
        [b.id, 1, null],
      ]);
      expect(down.every((r) => (r.last_error ?? '').length > 0)).toBe(true);

      await server.start();
      let sent = 0;
      await eventually(async () => {
        clock.advance(RELAY_BACKOFF_MAX_MS);
        sent += (await relayOutbox({ db, clock, bus: bus as EventBus })).sent;
        return sent === 2;
      }, 'delivery after the broker came back');
      await eventually(() => received.length === 2, 'the subscriber to receive both events');
      expect(received).toEqual([a.id, b.id]);
      const unsent = await db.selectFrom('outbox').select('id').where('sent_at', 'is', null).execute();
      expect(unsent).toEqual([]);
    } finally {
      await bus?.close();
      await database.close();
      await server.dispose();
    }
  });

  it('refuses to start when the broker is unreachable', async () => {
    const port = await freePort();
    await expect(createNatsBus(`nats://127.0.0.1:${port}`)).rejects.toThrow();
  });
});
