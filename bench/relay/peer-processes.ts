/**
 * The load generator: two processes on the core the relay does not use. The timing process holds
 * the speaker and a sample of listeners (and of the fan-out's receivers) spread evenly over join
 * order, and times every packet they receive; the counting process holds every other listener
 * and receiver and only counts packets, at a low priority. Handing every packet of 1,000
 * listeners to one event loop kept it busy, and the delay it measured was mostly its own queue;
 * now the loop that times is nearly idle, and loss is still judged at every listener.
 */
import { processSeconds } from './host-load.ts';
import { startPeersProcess } from './peers-process.ts';
import type { ReadyCount, WindowResult } from './protocol.ts';

/** Listeners timed at the run's largest step; smaller steps time proportionally fewer. */
export const TIMED_SAMPLE = 64;

/** Every `timedEvery`th listener (or receiver) in join order, the first included, is timed. */
export const timedEveryFor = (largestStep: number) =>
  Math.max(1, Math.ceil(largestStep / TIMED_SAMPLE));

/** Starts both processes (on `core`, when given); listener `index` goes to one by join order. */
export function startPeers(core: number | undefined, timedEvery: number) {
  const timing = startPeersProcess('timing', core);
  const counting = startPeersProcess('counting', core);
  const isTimed = (index: number) => index % timedEvery === 0;
  let joined = 0;

  return {
    pinned: timing.pinned && counting.pinned,
    timingPid: timing.pid,
    countingPid: counting.pid,
    pids: [timing.pid, counting.pid],
    timedEvery,
    /** Both processes' CPU seconds so far, all their threads. */
    cpuSeconds: () => processSeconds(timing.pid) + processSeconds(counting.pid),
    /** The timing process's own requests: the capture, the speaker and its target. */
    call: timing.call,

    /** Opens `count` UDP receivers for the fan-out, split as listeners are; their ports in order. */
    async udpOpen(count: number): Promise<number[]> {
      const timed = Array.from({ length: count }, (_, index) => index).filter(isTimed).length;
      const [fromTiming, fromCounting] = await Promise.all([
        timing.call({ type: 'udp-open', count: timed }),
        counting.call({ type: 'udp-open', count: count - timed }),
      ]);
      const ports = { timed: fromTiming.ports.values(), counted: fromCounting.ports.values() };
      return Array.from(
        { length: count },
        (_, index) => (isTimed(index) ? ports.timed : ports.counted).next().value ?? 0,
      );
    },

    async udpClose(): Promise<void> {
      await Promise.all([timing.call({ type: 'udp-close' }), counting.call({ type: 'udp-close' })]);
    },

    /** Answers the relay's offer for listener `index` (its place in join order). */
    listen(index: number, offer: string): Promise<{ answer: string }> {
      joined = Math.max(joined, index + 1);
      return (isTimed(index) ? timing : counting).call({ type: 'listen', offer });
    },

    async ready(): Promise<ReadyCount> {
      const [timed, counted] = await Promise.all([
        timing.call({ type: 'ready' }),
        counting.call({ type: 'ready' }),
      ]);
      return {
        listeners: timed.listeners + counted.listeners,
        ready: timed.ready + counted.ready,
        failed: timed.failed + counted.failed,
        speaker: timed.speaker,
      };
    },

    /** Closes and forgets the newest `count` listeners in join order. */
    async leave(count: number): Promise<void> {
      let timed = 0;
      for (let index = Math.max(0, joined - count); index < joined; index++) {
        if (isTimed(index)) timed += 1;
      }
      joined = Math.max(0, joined - count);
      await Promise.all([
        timing.call({ type: 'leave', count: timed }),
        counting.call({ type: 'leave', count: count - timed }),
      ]);
    },

    /**
     * One window of the speaker's packets: delays at the timed listeners (or fan-out
     * receivers), and receipts at every one.
     */
    async measure(audience: 'relay' | 'udp', windowMs: number, graceMs: number) {
      // Counting starts first, so every packet of the timing window is sent after it started.
      await counting.call({ type: 'count-open', audience });
      const result = await timing.call({ type: 'measure', audience, windowMs, graceMs });
      const { firstSequence, sent } = result;
      const counted = await counting.call({ type: 'count-close', firstSequence, sent });
      return {
        ...result,
        listeners: result.listeners + counted.listeners,
        received: result.received + counted.received,
        strays: result.strays + counted.strays,
      } satisfies WindowResult;
    },

    stop(): void {
      timing.stop();
      counting.stop();
    },
  };
}

export type Peers = ReturnType<typeof startPeers>;
