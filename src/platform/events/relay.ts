import type { AppContext } from '../../context.js';
import type { Job } from '../jobs/scheduler.js';
import type { DomainEvent } from './outbox.js';

/** First retry delay after a failed delivery; doubles with every further failure. */
export const RELAY_BACKOFF_BASE_MS = 1000;
/** Longest wait between two delivery attempts of one event. */
export const RELAY_BACKOFF_MAX_MS = 5 * 60_000;
/**
 * How long a claimed row stays reserved for the process that claimed it. Publishing happens
 * after the claim commits; a process that dies mid-publish leaves the row to be claimed again
 * when the claim lapses (at-least-once delivery).
 */
export const RELAY_CLAIM_MS = 60_000;

export interface RelayResult {
  sent: number;
  failed: number;
}

/** The delay before the next attempt after `attempts` failed ones: 1 s, 2 s, 4 s … capped at 5 min. */
export function relayBackoffMs(attempts: number): number {
  const exp = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(RELAY_BACKOFF_BASE_MS * 2 ** exp, RELAY_BACKOFF_MAX_MS);
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 1000);
}

/**
 * Delivers one batch of due outbox events (unsent, `next_attempt_at` reached) in id order
 * through `ctx.bus`. Guarantees:
 * - a row is claimed with `FOR UPDATE SKIP LOCKED` in a short transaction, so concurrent relays
 *   (several processes on one PostgreSQL) never claim the same row;
 * - a delivered row gets `sent_at`; a failed one keeps `sent_at` null, counts the attempt,
 *   records `last_error` and waits `relayBackoffMs(attempts)` before the next try; the batch
 *   goes on with the next row;
 * - nothing is lost while the broker is down, and an event may be delivered more than once
 *   (crash between publish and marking): subscribers dedupe by event id.
 *
 * Publishing happens outside the claiming transaction on purpose: on embedded PGlite there is a
 * single connection, and an in-process subscriber that queries the database while the relay held
 * a transaction open would wait on it forever.
 */
export async function relayOutbox(
  ctx: Pick<AppContext, 'db' | 'clock' | 'bus'>,
  opts: { batch?: number } = {},
): Promise<RelayResult> {
  const batch = opts.batch ?? 100;
  const claimedAt = ctx.clock.now();
  const rows = await ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('outbox')
      .select(['id', 'event_id', 'topic', 'payload', 'created_at', 'attempts'])
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', claimedAt)
      .orderBy('id', 'asc')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length > 0) {
      await trx
        .updateTable('outbox')
        .set({ next_attempt_at: new Date(claimedAt.getTime() + RELAY_CLAIM_MS) })
        .where(
          'id',
          'in',
          due.map((r) => r.id),
        )
        .execute();
    }
    return due;
  });

  let sent = 0;
  let failed = 0;
  for (const row of rows) {
    const event: DomainEvent = {
      id: row.event_id,
      topic: row.topic,
      at: row.created_at.toISOString(),
      payload: row.payload,
    };
    const attempts = row.attempts + 1;
    try {
      await ctx.bus.publish(event);
    } catch (err) {
      const now = ctx.clock.now();
      await ctx.db
        .updateTable('outbox')
        .set({
          attempts,
          last_error: errorText(err),
          next_attempt_at: new Date(now.getTime() + relayBackoffMs(attempts)),
        })
        .where('id', '=', row.id)
        .where('sent_at', 'is', null)
        .execute();
      failed += 1;
      continue;
    }
    await ctx.db
      .updateTable('outbox')
      .set({ attempts, sent_at: ctx.clock.now(), last_error: null })
      .where('id', '=', row.id)
      .execute();
    sent += 1;
  }
  return { sent, failed };
}

/**
 * Background job: drains the outbox every second, a bounded number of batches per tick so one
 * tick never runs for long. Runs in one process at a time (the scheduler's lease).
 */
export const outboxRelayJob: Job = {
  name: 'outbox.relay',
  intervalMs: 1000,
  run: async (ctx) => {
    const batch = 100;
    const total: RelayResult = { sent: 0, failed: 0 };
    for (let i = 0; i < 10; i++) {
      const r = await relayOutbox(ctx, { batch });
      total.sent += r.sent;
      total.failed += r.failed;
      if (r.sent + r.failed < batch) break;
    }
    return total;
  },
};
