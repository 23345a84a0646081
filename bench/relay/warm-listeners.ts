import { createRelayWorkerPool } from '../../server/media/relay-workers/relay-worker-pool.ts';
import { joinListeners } from './joins.ts';
import type { Peers } from './peer-processes.ts';

/** The warm-up's listeners never hear a speaker: they only connect, for this long. */
const WARM_UP_MS = 3_000;

/**
 * Runs the listeners' join path hot before anything is timed, against a relay in a process of
 * its own, so the relay under test stays as fresh as it was: a browser's WebRTC stack is native
 * and each listener's own, while these listeners share two Node processes whose first joins
 * would otherwise be compiled on the clock of the relay's first burst.
 */
export async function warmListeners(peers: Peers, listeners: number): Promise<void> {
  if (listeners < 1) return;
  const other = createRelayWorkerPool({ workers: 1, relay: { port: 0 } });
  try {
    await other.ready();
    await joinListeners(other, peers, 'warm-up', 0, listeners, performance.now() + WARM_UP_MS);
    await peers.leave(listeners);
  } finally {
    await other.stop();
  }
}
