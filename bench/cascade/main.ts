/**
 * CPU per forwarded copy of one space held by one relay worker, then spread over two (a cascade:
 * the speaker's packets piped to the second worker). Listeners are libdatachannel peers (full ICE
 * and DTLS-SRTP, libsrtp decrypting); copies are counted where they arrive, CPU is the workers'
 * own (all threads, /proc). The peer figure: the same fan-out on one worker.
 *
 *   npm run bench -- cascade [--listeners=100] [--seconds=10]
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRelayWorkerPool } from '../../server/media/relay-workers/relay-worker-pool.ts';
import {
  connectLibsrtpListener,
  type LibsrtpListener,
} from '../../tests/helpers/libsrtp-listener.ts';
import { waitFor } from '../../tests/helpers/relay-peers.ts';
import { connectRtpSpeaker } from '../../tests/helpers/rtp-speaker.ts';

const option = (name: string, fallback: number) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const LISTENERS = option('listeners', 100);
const SECONDS = option('seconds', 10);
const FRAME_MS = 20;

/** User + system CPU seconds of a process, all its threads. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function measure(workers: number) {
  const pool = createRelayWorkerPool({ workers, relay: { port: 0 } });
  await pool.ready();
  pool.setPublishers('space', new Set(['speaker']));
  const listeners: LibsrtpListener[] = [];
  for (let i = 0; i < LISTENERS; i++) {
    const { sessionId, offer } = await pool.open('space', `listener-${i}`);
    const listener = await connectLibsrtpListener(offer);
    await pool.answer(sessionId, listener.answer);
    listeners.push(listener);
  }
  await waitFor(() => listeners.every((listener) => listener.isConnected()), 'listeners', 60_000);
  const { sessionId, offer } = await pool.open('space', 'speaker');
  const speaker = await connectRtpSpeaker(offer);
  await pool.answer(sessionId, speaker.answer);
  await speaker.connected();
  let speaking = true;
  let sent = 0;
  const speech = (async () => {
    for (let sequenceNumber = 0; speaking; sequenceNumber++) {
      speaker.send(sequenceNumber & 0xffff, Buffer.alloc(80, sequenceNumber));
      sent++;
      await sleep(FRAME_MS);
    }
  })();
  await sleep(2_000);
  const pids = pool.workerPids().filter((pid): pid is number => pid !== undefined);
  const received = () => listeners.reduce((sum, listener) => sum + listener.received.length, 0);
  const cpuBefore = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const copiesBefore = received();
  const sentBefore = sent;
  await sleep(SECONDS * 1000);
  const cpu = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore;
  const sentInWindow = sent - sentBefore;
  // Copies still in flight at the end of the window arrive before this settles.
  await sleep(200);
  const copies = received() - copiesBefore;
  speaking = false;
  await speech;
  await speaker.close();
  await Promise.all(listeners.map((listener) => listener.close()));
  await pool.stop();
  return { workers, copies, cpu, expected: LISTENERS * sentInWindow };
}

console.log(`bench/cascade: one speaker, ${LISTENERS} libsrtp listeners, ${SECONDS} s windows`);
for (const workers of [1, 2]) {
  const { copies, cpu, expected } = await measure(workers);
  const perCopy = copies > 0 ? (cpu / copies) * 1e6 : Number.NaN;
  const loss = Math.max(0, 1 - copies / expected) * 100;
  console.log(
    `${workers} worker(s): ${copies} copies received (${loss.toFixed(1)}% of the copies due missing), ` +
      `workers' CPU ${cpu.toFixed(2)} s, ${perCopy.toFixed(1)} µs per copy`,
  );
}
