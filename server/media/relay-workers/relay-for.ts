import type { AppConfig } from '../../config.ts';
import { createRelay } from '../relay/relay.ts';
import type { Relay, RelayConfig } from '../relay/relay-types.ts';
import { createRelayWorkerPool, type RelayWorkerPoolOptions } from './relay-worker-pool.ts';

type PoolReach = Pick<RelayWorkerPoolOptions, 'remote' | 'pipe' | 'federation'>;
type PoolSetup = PoolReach & Pick<RelayWorkerPoolOptions, 'spreadAfter'>;

/**
 * What a pool of relay workers reaches beyond this process: with a Redis, the pools of the other
 * API instances (a space whose people came through several instances is one cascade), and remote
 * relay workers when the config enables them.
 */
export function relayPoolReach(config: AppConfig): PoolReach {
  const { remote, pipe } = config.media.relay;
  if (!config.redisUrl) return {};
  const federation = { redisUrl: config.redisUrl, prefix: remote?.prefix ?? 'amphi:' };
  const announced = remote ? { host: remote.pipeHost, port: remote.pipePort } : pipe;
  return {
    federation,
    ...(remote && { remote: { redisUrl: config.redisUrl, prefix: remote.prefix } }),
    // Other hosts pipe to the local workers: bound on every interface, not just the loopback.
    ...(announced && {
      pipe: {
        bindAddress: announced.host.includes(':') ? '::' : '0.0.0.0',
        host: announced.host,
        port: announced.port,
      },
    }),
  };
}

/**
 * The relay in this process (`workers` 0, no remote workers) or spread over that many worker
 * processes and any remote workers.
 */
export function createRelayFor(workers: number, config: RelayConfig, setup: PoolSetup = {}): Relay {
  if (workers === 0 && !setup.remote) return createRelay(config);
  return createRelayWorkerPool({ workers, relay: config, ...setup });
}
