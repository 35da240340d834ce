import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/db.js';

/** A domain event as stored in the outbox and delivered to subscribers. */
export interface DomainEvent {
  id: string;
  topic: string;
  at: string;
  payload: Record<string, unknown>;
}

/**
 * Writes an event to the transactional outbox. Call it with the same transaction as the change it
 * announces: the event exists exactly when the change committed. The relay delivers it later.
 */
export async function emit(
  executor: Executor,
  at: Date,
  topic: string,
  payload: Record<string, unknown>,
): Promise<DomainEvent> {
  const event: DomainEvent = { id: randomUUID(), topic, at: at.toISOString(), payload };
  await executor
    .insertInto('outbox')
    .values({
      event_id: event.id,
      topic,
      payload: JSON.stringify({ ...payload }),
      created_at: at,
      next_attempt_at: at,
    })
    .execute();
  return event;
}
