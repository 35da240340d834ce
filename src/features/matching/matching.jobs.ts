import type { Job } from '../../platform/jobs/scheduler.js';
import { drainMatchQueue } from './matching.engine.js';
import { failInterruptedXrefs } from './xref.service.js';

/**
 * Matches what the triggers on `records` queued (created, imported, changed, withdrawn records),
 * on the scheduler's interval, and fails cross-reference jobs whose process died.
 */
export const matchQueueJob: Job = {
  name: 'match.queue',
  intervalMs: 5_000,
  run: async (ctx) => {
    await failInterruptedXrefs(ctx);
    return drainMatchQueue(ctx);
  },
};
