import type { Job } from '../../platform/jobs/scheduler.js';

/** Placeholder: evaluates agreement review triggers (written by the agreements work). */
export const agreementReviewJob: Job = { name: 'agreements.review', run: async () => {} };
