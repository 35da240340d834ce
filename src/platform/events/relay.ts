import type { Job } from '../jobs/scheduler.js';

/** Placeholder: delivers outbox events (written by the events work). */
export const outboxRelayJob: Job = { name: 'outbox.relay', intervalMs: 1000, run: async () => {} };
