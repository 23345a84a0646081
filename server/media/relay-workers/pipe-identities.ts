import { createOutageLog } from '../../outages/outage-log.ts';
import {
  type PipeFederation,
  type PipeFederationEvents,
  type PipeFederationOptions,
  startPipeFederation,
} from './pipe-federation.ts';
import { createPipeKey } from './pipe-seal.ts';

/** What a worker seals its piped datagrams with. */
export type PipeIdentity = { key: Uint8Array; senderId: number };

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * Hands each worker start of a pool its pipe key and a sender id never used under that key.
 * Alone, the pool makes its own key and counts; joined with the pools of other API instances
 * (`federation`), the key and the count are theirs in common. A pool that cannot reach Redis
 * pipes alone and keeps trying; once it joins, `takeUp` moves the workers that started alone
 * to the common key (should it fail, the join is undone and tried again).
 */
export function createPipeIdentities(
  federation: PipeFederationOptions | undefined,
  events: PipeFederationEvents,
  takeUp: (joined: PipeFederation) => Promise<void>,
) {
  const ownKey = createPipeKey();
  let nextSenderId = 1;
  let joined: PipeFederation | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  // Containers start in any order and Redis restarts: a pool alone for good would split its
  // spaces across instances without a word.
  const outage = createOutageLog(
    'Redis (relay pipes)',
    'the relay pipes alone until it is back: speakers on other instances go unheard here',
  );

  async function join(options: PipeFederationOptions, delay: number): Promise<void> {
    let started: PipeFederation | null = null;
    try {
      started = await startPipeFederation(options, events);
      if (stopped) return await started.stop();
      joined = started;
      // Only workers that started alone hold keys of this pool's own.
      if (outage.down) await takeUp(started);
      outage.recovered();
    } catch (error) {
      if (started) {
        joined = null;
        await started.stop();
      }
      if (stopped) return;
      outage.failed(error);
      retry = setTimeout(() => {
        attempt = join(options, Math.min(delay * 2, RETRY_MAX_MS));
      }, delay);
      retry.unref();
    }
  }

  let attempt = federation ? join(federation, RETRY_FIRST_MS) : Promise.resolve();
  // Workers wait for the first attempt only: with Redis up, they start on the common key.
  const first = attempt;

  return {
    async next(): Promise<PipeIdentity> {
      await first;
      if (!joined) return { key: ownKey, senderId: nextSenderId++ };
      return { key: joined.key, senderId: await joined.nextSenderId() };
    },

    /** The pools of other instances, once joined. */
    federation(): PipeFederation | null {
      return joined;
    },

    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(retry);
      await attempt;
      await joined?.stop();
    },
  };
}
