import { resolve } from 'node:path';
import type * as RelayModule from '../../server/media/relay/relay.ts';
import type * as UnpooledModule from '../../server/media/relay/unpooled-buffers.ts';
import { startPeers, timedEveryFor } from './peer-processes.ts';
import { pinToCore } from './peers-process.ts';

/**
 * A relay in this process, pinned to core 0 and set up as a relay worker process sets it up
 * (relay-worker-main.ts: unpooled buffers), beside bench/relay's peers processes on core 1 for
 * `listeners` listeners, so the relay CPU read from /proc is the relay's own. `relayRoot`: a
 * checkout whose server/ to measure instead of this one (an A/B run).
 */
export async function startRelayBesidePeers(listeners: number, relayRoot: string | undefined) {
  const root = relayRoot ?? new URL('../..', import.meta.url).pathname;
  const relayModule = (await import(
    resolve(root, 'server/media/relay/relay.ts')
  )) as typeof RelayModule;
  const unpooledModule = (await import(
    resolve(root, 'server/media/relay/unpooled-buffers.ts')
  )) as typeof UnpooledModule;
  const pinned = pinToCore(process.pid, 0);
  const peers = startPeers(pinned ? 1 : undefined, timedEveryFor(listeners));
  unpooledModule.unpoolBuffers();
  const relay = relayModule.createRelay({ port: 0, announcedIp: '127.0.0.1' });
  return { relay, peers, root, pinned };
}
