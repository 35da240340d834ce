import type { AppContext } from '../../context.js';
import type { AgreementRow } from '../../platform/db/schema.js';
import type { Job } from '../../platform/jobs/scheduler.js';
import { decideReview, LIVE_STATUSES, type ReviewDecision } from './agreements.lifecycle.js';
import { parseTriggers, statusOf } from './agreements.presenter.js';
import { applyReviewDecision } from './agreements.service.js';
import { reviewCandidates } from './agreements.store.js';

/** What one evaluation did. `triggers` counts each trigger that fired (one review may have several). */
export interface ReviewSummary {
  checked: number;
  expired: number;
  underReview: number;
  triggers: Record<string, number>;
}

const BATCH = 200;

function decisionFor(row: AgreementRow, now: Date): ReviewDecision | null {
  return decideReview(
    {
      status: statusOf(row),
      validFrom: row.valid_from,
      sunsetAt: row.sunset_at,
      pilotEndsAt: row.pilot_ends_at,
      lastReviewedAt: row.last_reviewed_at,
      exchangedSinceReview: row.exchanged_since_review,
      reviewTriggers: parseTriggers(row.review_triggers),
    },
    now,
  );
}

/**
 * Evaluates every live agreement at `ctx.clock.now()`: a passed sunset expires it (whatever the
 * live status); a pilot past its end, a sunset window, a periodic interval or an exchanged volume
 * sends a pilot/active agreement to review. Each change is its own transaction, recorded in the
 * history with no actor and the trigger. Idempotent: a second run at the same time changes nothing.
 * `only` limits the run to some agreements (tests share one database and must not move others').
 */
export async function evaluateReviewTriggers(
  ctx: AppContext,
  opts: { only?: readonly string[] } = {},
): Promise<ReviewSummary> {
  const now = ctx.clock.now();
  const summary: ReviewSummary = { checked: 0, expired: 0, underReview: 0, triggers: {} };
  let after: string | null = null;
  for (;;) {
    const batch = await reviewCandidates(ctx.db, LIVE_STATUSES, after, BATCH, opts.only);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]?.id ?? null;
    for (const row of batch) {
      summary.checked += 1;
      if (decisionFor(row, now) === null) continue;
      const applied = await ctx.db
        .transaction()
        .execute((trx) => applyReviewDecision(trx, now, row.id, (locked) => decisionFor(locked, now)));
      if (!applied) continue;
      switch (applied.to) {
        case 'expired':
          summary.expired += 1;
          summary.triggers.sunset_passed = (summary.triggers.sunset_passed ?? 0) + 1;
          break;
        case 'under_review':
          summary.underReview += 1;
          for (const t of applied.triggers) summary.triggers[t.kind] = (summary.triggers[t.kind] ?? 0) + 1;
          break;
      }
    }
    if (batch.length < BATCH) break;
  }
  return summary;
}

/** The periodic job that runs `evaluateReviewTriggers`. */
export const agreementReviewJob: Job = {
  name: 'agreements.review',
  run: (ctx) => evaluateReviewTriggers(ctx),
};
