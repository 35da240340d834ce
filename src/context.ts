import type { Config } from './config.js';
import type { Clock } from './platform/clock.js';
import type { Db } from './platform/db/db.js';
import type { EventBus } from './platform/events/bus.js';

/** Everything a request handler or job needs, built once per process (or per test worker). */
export interface AppContext {
  config: Config;
  db: Db;
  dbKind: 'pglite' | 'postgres';
  clock: Clock;
  bus: EventBus;
}
