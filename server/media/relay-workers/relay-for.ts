import { createRelay } from '../relay/relay.ts';
import type { Relay, RelayConfig } from '../relay/relay-types.ts';
import { createRelayWorkerPool } from './relay-worker-pool.ts';

/** The relay in this process (`workers` 0) or spread over that many worker processes. */
export function createRelayFor(workers: number, config: RelayConfig): Relay {
  return workers === 0 ? createRelay(config) : createRelayWorkerPool({ workers, relay: config });
}
