/**
 * Joining the relay as a browser would: the relay offers, a peer answers, the relay applies the
 * answer. The speaker first; listeners in parallel lanes up to a deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Relay } from '../../server/media/relay/relay.ts';
import type { Peers } from './peer-processes.ts';
import type { ReadyCount } from './protocol.ts';

/** Joins in flight at once: the relay gathers ICE and binds a socket for each. */
const LANES = 32;
const READY_POLL_MS = 20;

/** Connects the speaker and seats it on a slot; resolves with its SRTP profile. */
export async function joinSpeaker(
  relay: Relay,
  peers: Peers,
  spaceId: string,
  speakerId: string,
): Promise<string> {
  const { sessionId, offer } = await relay.open(spaceId, speakerId);
  const { answer } = await peers.call({ type: 'speaker', offer });
  await relay.answer(sessionId, answer);
  const { srtpProfile } = await peers.call({ type: 'speaker-connected' });
  await peers.call({ type: 'target', target: { kind: 'relay' } });
  // The relay seats a publisher at its first packet, and keeps the seat while it is silent.
  await sleep(500);
  return srtpProfile;
}

export type JoinOutcome = ReadyCount & { ms: number; error: string | undefined };

/**
 * Adds listeners `from`..`to - 1` and waits until every one hears the speaker's slot; gives up
 * at `deadline` (a performance.now() time) and says how far it got.
 */
export async function joinListeners(
  relay: Relay,
  peers: Peers,
  spaceId: string,
  from: number,
  to: number,
  deadline: number,
): Promise<JoinOutcome> {
  const started = performance.now();
  let next = from;
  let error: string | undefined;
  async function lane(): Promise<void> {
    while (next < to && error === undefined && performance.now() < deadline) {
      const index = next++;
      try {
        const { sessionId, offer } = await relay.open(spaceId, `listener-${index}`);
        const { answer } = await peers.listen(index, offer);
        await relay.answer(sessionId, answer);
      } catch (failure) {
        error ??= failure instanceof Error ? failure.message : String(failure);
      }
    }
  }
  await Promise.all(Array.from({ length: LANES }, lane));
  let count = await peers.ready();
  while (count.ready + count.failed < to && performance.now() < deadline) {
    // Fine enough not to add a tenth of the 2 s goal to the figure.
    await sleep(READY_POLL_MS);
    count = await peers.ready();
  }
  return { ...count, ms: performance.now() - started, error };
}

/**
 * Adds listeners `from`..`to - 1` at `perSecond`, each join started on schedule whether or not
 * the earlier ones have finished (as independent browsers would); resolves once every join's
 * answer is applied, with the first error if any.
 */
export async function joinListenersPaced(
  relay: Relay,
  peers: Peers,
  spaceId: string,
  from: number,
  to: number,
  perSecond: number,
): Promise<{ ms: number; error: string | undefined }> {
  const started = performance.now();
  let error: string | undefined;
  const joins: Promise<void>[] = [];
  for (let index = from; index < to; index++) {
    const dueAt = started + ((index - from) * 1000) / perSecond;
    await sleep(Math.max(0, dueAt - performance.now()));
    joins.push(
      (async () => {
        const { sessionId, offer } = await relay.open(spaceId, `listener-${index}`);
        const { answer } = await peers.listen(index, offer);
        await relay.answer(sessionId, answer);
      })().catch((failure: unknown) => {
        error ??= failure instanceof Error ? failure.message : String(failure);
      }),
    );
  }
  await Promise.all(joins);
  return { ms: performance.now() - started, error };
}
