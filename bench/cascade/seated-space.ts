/**
 * bench/cascade's space: one speaker and many libdatachannel listeners on a relay worker pool,
 * placed as the pool places them, and the speaker's speech at 50 packets a second.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createRelayWorkerPool,
  type RelayWorkerPool,
} from '../../server/media/relay-workers/relay-worker-pool.ts';
import {
  connectLibsrtpListener,
  type LibsrtpListener,
} from '../../tests/helpers/libsrtp-listener.ts';
import { waitFor } from '../../tests/helpers/relay-peers.ts';
import { connectRtpSpeaker, type RtpSpeaker } from '../../tests/helpers/rtp-speaker.ts';

const FRAME_MS = 20;

export type SeatedSpace = {
  pool: RelayWorkerPool;
  listeners: LibsrtpListener[];
  speaker: RtpSpeaker;
  /** Listeners on each worker. */
  perWorker: number[];
  /** The workers' process ids, in the pool's order. */
  pids: number[];
  /** Copies received by all listeners so far. */
  received(): number;
  close(): Promise<void>;
};

/**
 * Seats `listenerCount` listeners, then the speaker, in one space of a new pool of `workers`
 * workers. `connectMs` bounds the wait for the listeners' connections (slower under valgrind).
 */
export async function seatSpace(
  workers: number,
  listenerCount: number,
  spreadAfter: number,
  connectMs = 60_000,
): Promise<SeatedSpace> {
  const pool = createRelayWorkerPool({ workers, relay: { port: 0 }, spreadAfter });
  await pool.ready();
  pool.setPublishers('space', new Set(['speaker']));
  const listeners: LibsrtpListener[] = [];
  const perWorker = Array.from({ length: workers }, () => 0);
  for (let i = 0; i < listenerCount; i++) {
    const { sessionId, offer } = await pool.open('space', `listener-${i}`);
    // Counted, not kept: a thousand listeners' packets would fill this process's heap.
    const listener = await connectLibsrtpListener(offer, { keep: false });
    await pool.answer(sessionId, listener.answer);
    listeners.push(listener);
    const worker = pool.workerOf(sessionId);
    if (worker !== undefined) perWorker[worker] = (perWorker[worker] ?? 0) + 1;
  }
  await waitFor(
    () => listeners.every((listener) => listener.isConnected()),
    'listeners',
    connectMs,
  );
  const { sessionId, offer } = await pool.open('space', 'speaker');
  const speaker = await connectRtpSpeaker(offer);
  await pool.answer(sessionId, speaker.answer);
  await speaker.connected();
  return {
    pool,
    listeners,
    speaker,
    perWorker,
    pids: pool.workerPids().filter((pid): pid is number => pid !== undefined),
    received: () => listeners.reduce((sum, listener) => sum + listener.receivedCount(), 0),
    async close() {
      await speaker.close();
      await Promise.all(listeners.map((listener) => listener.close()));
      await pool.stop();
    },
  };
}

export type Speech = {
  /** Packets sent so far. */
  sent(): number;
  /** Stops sending; resolves once the last packet is out. */
  stop(): Promise<void>;
};

/**
 * Starts the speaker talking: one 80-byte packet every 20 ms, numbered on from `firstSequence`
 * (a second burst of speech continues the first's numbers: the listeners' libsrtp refuses
 * replays).
 */
export function startSpeech(speaker: RtpSpeaker, firstSequence = 0): Speech {
  let speaking = true;
  let sent = 0;
  // Paced by elapsed time, not per timer tick: a late timer sends what was due, so every run
  // carries 50 packets a second however busy the host is (their idle cost is spread alike).
  const sending = (async () => {
    const startedAt = performance.now();
    while (speaking) {
      const due = Math.floor((performance.now() - startedAt) / FRAME_MS);
      for (; sent <= due; sent++) {
        speaker.send((firstSequence + sent) & 0xffff, Buffer.alloc(80, sent));
      }
      await sleep(FRAME_MS / 4);
    }
  })();
  return {
    sent: () => sent,
    async stop() {
      speaking = false;
      await sending;
    },
  };
}
