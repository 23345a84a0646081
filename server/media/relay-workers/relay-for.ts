import type { AppConfig } from '../../config.ts';
import { createRelay } from '../relay/relay.ts';
import type { Relay, RelayConfig } from '../relay/relay-types.ts';
import { createRelayWorkerPool, type RelayWorkerPoolOptions } from './relay-worker-pool.ts';

/** Where remote relay workers are found, when the config enables them. */
export function remoteRelayWorkers(
  config: AppConfig,
): Pick<RelayWorkerPoolOptions, 'remote' | 'pipe'> {
  const remote = config.media.relay.remote;
  if (!remote || !config.redisUrl) return {};
  return {
    remote: { redisUrl: config.redisUrl, prefix: remote.prefix },
    // Remote workers pipe to the local ones: bound on every interface, not just the loopback.
    pipe: {
      bindAddress: remote.pipeHost.includes(':') ? '::' : '0.0.0.0',
      host: remote.pipeHost,
      port: remote.pipePort,
    },
  };
}

/**
 * The relay in this process (`workers` 0, no remote workers) or spread over that many worker
 * processes and any remote workers.
 */
export function createRelayFor(
  workers: number,
  config: RelayConfig,
  remote: Pick<RelayWorkerPoolOptions, 'remote' | 'pipe'> = {},
): Relay {
  if (workers === 0 && !remote.remote) return createRelay(config);
  return createRelayWorkerPool({ workers, relay: config, ...remote });
}
