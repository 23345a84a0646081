import {
  type PipeFederation,
  type PipeFederationEvents,
  type PipeFederationOptions,
  startPipeFederation,
} from './pipe-federation.ts';
import { createPipeKey } from './pipe-seal.ts';

/** What a worker seals its piped datagrams with. */
export type PipeIdentity = { key: Uint8Array; senderId: number };

/**
 * Hands each worker start of a pool its pipe key and a sender id never used under that key.
 * Alone, the pool makes its own key and counts; joined with the pools of other API instances
 * (`federation`), the key and the count are theirs in common. A pool that cannot reach Redis
 * says so and pipes alone: its own spaces still work, across instances they go unheard.
 */
export function createPipeIdentities(
  federation: PipeFederationOptions | undefined,
  events: PipeFederationEvents,
) {
  const ownKey = createPipeKey();
  let nextSenderId = 1;
  let joined: PipeFederation | null = null;
  let stopped = false;
  const joining: Promise<PipeFederation | null> = federation
    ? startPipeFederation(federation, events).then(
        (started) => {
          if (stopped) {
            void started.stop();
            return null;
          }
          joined = started;
          return started;
        },
        (error: unknown) => {
          console.error('Relay pools of other instances are out of reach; piping alone', error);
          return null;
        },
      )
    : Promise.resolve(null);

  return {
    async next(): Promise<PipeIdentity> {
      const shared = await joining;
      if (!shared) return { key: ownKey, senderId: nextSenderId++ };
      return { key: shared.key, senderId: await shared.nextSenderId() };
    },

    /** The pools of other instances, once joined. */
    federation(): PipeFederation | null {
      return joined;
    },

    async stop(): Promise<void> {
      stopped = true;
      await (await joining)?.stop();
    },
  };
}
