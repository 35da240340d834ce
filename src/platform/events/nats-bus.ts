import type { EventBus } from './bus.js';

/** NATS JetStream bus (to be completed by the events work). */
export async function createNatsBus(_url: string): Promise<EventBus> {
  throw new Error('NATS bus not implemented yet');
}
