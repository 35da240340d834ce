import type { DomainEvent } from './outbox.js';

export type EventHandler = (event: DomainEvent) => void | Promise<void>;

/**
 * Delivers committed outbox events to subscribers in this process. Implementations: in-process
 * (embedded deployment) and NATS JetStream (scaled deployment), where every process receives
 * every event whichever process committed it.
 */
export interface EventBus {
  readonly kind: 'memory' | 'nats';
  /** Subscribes to a topic; `*` matches one segment and `>` the rest, as in NATS. Returns an unsubscribe function. */
  subscribe(pattern: string, handler: EventHandler): () => void;
  /** Publishes one event to every process (called by the outbox relay only). */
  publish(event: DomainEvent): Promise<void>;
  close(): Promise<void>;
}

/** True when a NATS-style pattern (`a.*.c`, `a.>`) matches a topic. */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split('.');
  const t = topic.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return t.length > i;
    if (i >= t.length) return false;
    if (p[i] !== '*' && p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

/** The embedded bus: delivery within this process. */
export class MemoryEventBus implements EventBus {
  readonly kind = 'memory' as const;
  private readonly handlers = new Set<{ pattern: string; handler: EventHandler }>();

  subscribe(pattern: string, handler: EventHandler): () => void {
    const entry = { pattern, handler };
    this.handlers.add(entry);
    return () => this.handlers.delete(entry);
  }

  async publish(event: DomainEvent): Promise<void> {
    for (const { pattern, handler } of this.handlers) {
      if (topicMatches(pattern, event.topic)) {
        try {
          await handler(event);
        } catch {
          // A failing subscriber must not stop delivery to the others; subscribers log their own errors.
        }
      }
    }
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
