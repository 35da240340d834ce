import type { Job } from '../../platform/jobs/scheduler.js';
import { runRetention } from './records.retention.js';

/** Review reminders, expiry and purge of records on the scheduler's interval (`records.retention`). */
export const recordRetentionJob: Job = {
  name: 'records.retention',
  run: (ctx) => runRetention(ctx),
};
