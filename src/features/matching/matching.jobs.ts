import type { Job } from '../../platform/jobs/scheduler.js';
import { drainMatchQueue } from './matching.engine.js';
import { pruneCheckUsage } from './matching.service.js';
import { failInterruptedXrefs } from './xref.service.js';

/**
 * Matches what the triggers on `records` queued (created, imported, changed, withdrawn records),
 * on the scheduler's interval, fails cross-reference jobs whose process died and drops old check
 * counters.
 */
export const matchQueueJob: Job = {
  name: 'match.queue',
  intervalMs: 5_000,
  run: async (ctx) => {
    await failInterruptedXrefs(ctx);
    await pruneCheckUsage(ctx);
    return drainMatchQueue(ctx);
  },
};
