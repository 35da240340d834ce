import {
  type ConsumerMessages,
  connect,
  DeliverPolicy,
  Events,
  JSONCodec,
  type NatsConnection,
  RetentionPolicy,
  StorageType,
} from 'nats';
import { type EventBus, type EventHandler, topicMatches } from './bus.js';
import type { DomainEvent } from './outbox.js';

/** The JetStream stream every Entente process publishes to and reads from. */
export const NATS_STREAM = 'ENTENTE';
/** Subjects are `entente.<topic>`; the stream holds all of them. */
export const NATS_SUBJECT_PREFIX = 'entente.';

export interface NatsBusOptions {
  /** How long a publish waits for JetStream's acknowledgement before it counts as failed. */
  publishTimeoutMs?: number;
  /** How long events are kept in the stream (for late consumers and debugging). */
  maxAgeMs?: number;
  /** Pause between reconnection attempts while the broker is unreachable. */
  reconnectWaitMs?: number;
}

const codec = JSONCodec<DomainEvent>();
const DAY_NS = 86_400_000_000_000;

function isDomainEvent(v: unknown): v is DomainEvent {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.id === 'string' &&
    typeof o.topic === 'string' &&
    typeof o.at === 'string' &&
    typeof o.payload === 'object' &&
    o.payload !== null
  );
}

/**
 * Connects to NATS and returns an event bus over JetStream. Guarantees:
 * - the stream `ENTENTE` on `entente.>` exists (created or left as configured by operators);
 * - `publish` resolves only once JetStream has stored the event, and carries the event id as
 *   `Nats-Msg-Id`, so a re-publish after a lost acknowledgement is dropped by the stream;
 * - while the connection is down, `publish` fails at once (the outbox relay retries later)
 *   instead of queueing in memory where a crash would lose it;
 * - every process gets its own ordered, ephemeral consumer that delivers each event published
 *   after the bus was created to this process's subscribers, in stream order, once per process.
 */
export async function createNatsBus(url: string, options: NatsBusOptions = {}): Promise<EventBus> {
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  const nc: NatsConnection = await connect({
    servers: url,
    name: 'entente',
    // The broker may restart or fail over; keep trying rather than give up after ten attempts.
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectWaitMs ?? 1000,
    waitOnFirstConnect: false,
  });
  try {
    return await openBus(nc, publishTimeoutMs, options.maxAgeMs ?? 7 * 86_400_000);
  } catch (err) {
    await nc.close();
    throw err;
  }
}

async function openBus(nc: NatsConnection, publishTimeoutMs: number, maxAgeMs: number): Promise<EventBus> {
  let connected = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) connected = false;
      else if (s.type === Events.Reconnect) connected = true;
    }
  })();

  const jsm = await nc.jetstreamManager();
  let lastSeq: number;
  try {
    lastSeq = (await jsm.streams.info(NATS_STREAM)).state.last_seq;
  } catch {
    // Two processes starting at once may both try to create it; the loser reads it back.
    try {
      await jsm.streams.add({
        name: NATS_STREAM,
        subjects: [`${NATS_SUBJECT_PREFIX}>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: Math.round((maxAgeMs / 86_400_000) * DAY_NS),
      });
    } catch {
      // fall through: info() below throws a clear error if the stream really is missing
    }
    lastSeq = (await jsm.streams.info(NATS_STREAM)).state.last_seq;
  }

  const js = nc.jetstream();
  const handlers = new Set<{ pattern: string; handler: EventHandler }>();
  // Starting after the current last sequence (rather than "new") makes the start point fixed
  // when this function returns: whatever is published from then on reaches this process.
  const consumer = await js.consumers.get(NATS_STREAM, {
    filterSubjects: `${NATS_SUBJECT_PREFIX}>`,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: lastSeq + 1,
  });
  const messages: ConsumerMessages = await consumer.consume();
  const delivering = (async () => {
    for await (const m of messages) {
      let event: unknown;
      try {
        event = codec.decode(m.data);
      } catch {
        continue; // not ours: something else published junk on entente.>
      }
      if (!isDomainEvent(event)) continue;
      for (const { pattern, handler } of handlers) {
        if (!topicMatches(pattern, event.topic)) continue;
        try {
          await handler(event);
        } catch {
          // A failing subscriber must not stop delivery to the others; subscribers log their own errors.
        }
      }
    }
  })();

  let closed = false;
  return {
    kind: 'nats',
    subscribe(pattern: string, handler: EventHandler): () => void {
      const entry = { pattern, handler };
      handlers.add(entry);
      return () => handlers.delete(entry);
    },
    async publish(event: DomainEvent): Promise<void> {
      if (closed || nc.isClosed()) throw new Error('NATS bus is closed');
      if (!connected) throw new Error('NATS is unreachable (reconnecting)');
      await js.publish(`${NATS_SUBJECT_PREFIX}${event.topic}`, codec.encode(event), {
        msgID: event.id,
        timeout: publishTimeoutMs,
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      handlers.clear();
      messages.stop();
      await delivering.catch(() => {});
      if (!nc.isClosed()) await nc.close();
    },
  };
}
