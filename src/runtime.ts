import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { type Clock, systemClock } from './platform/clock.js';
import { openDatabase } from './platform/db/db.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { type EventBus, MemoryEventBus } from './platform/events/bus.js';

export interface Runtime {
  ctx: AppContext;
  /** Migrations applied while opening. */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Opens the database (applying pending migrations) and the event bus: in-process unless
 * `natsUrl` is set, then NATS JetStream.
 */
export async function openRuntime(
  config: Config,
  opts: { clock?: Clock; migrate?: boolean } = {},
): Promise<Runtime> {
  const handle = await openDatabase(config);
  const applied = opts.migrate === false ? [] : await migrateToLatest(handle.db);
  let bus: EventBus;
  if (config.natsUrl) {
    const { createNatsBus } = await import('./platform/events/nats-bus.js');
    bus = await createNatsBus(config.natsUrl);
  } else {
    bus = new MemoryEventBus();
  }
  const ctx: AppContext = {
    config,
    db: handle.db,
    dbKind: handle.kind,
    clock: opts.clock ?? systemClock,
    bus,
  };
  return {
    ctx,
    applied,
    close: async () => {
      await bus.close();
      await handle.close();
    },
  };
}
