/**
 * CPU per forwarded copy of one space held by one relay worker, then spread over two (a cascade:
 * the speaker's packets piped to the second worker). Listeners are libdatachannel peers (full ICE
 * and DTLS-SRTP, libsrtp decrypting); copies are counted where they arrive, CPU is the workers'
 * own (all threads, /proc), with the speaker talking and then seated but silent (the workers'
 * idle cost, which does not scale with copies). The peer figure: the same fan-out on one worker;
 * the goal: two workers' CPU per copy no worse than one worker's. The listeners run in this
 * process, whose CPU is printed too: a saturated load generator drops copies of its own.
 *
 *   npm run bench -- cascade [--listeners=200] [--seconds=10]
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
const LISTENERS = option('listeners', 200);
const SECONDS = option('seconds', 10);
const IDLE_SECONDS = 4;
const FRAME_MS = 20;
/** Two workers' CPU per copy may exceed one worker's by this much and still count as no worse. */
const NOISE = 0.05;
/** Copies missing at the listeners above which a run's CPU per copy is not judged. */
const LOSS_GOAL_PERCENT = 1;

/** User + system CPU seconds of a process, all its threads. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Each process's CPU over `ms`, as a share of one core. */
async function cpuOver(pids: readonly number[], ms: number): Promise<number[]> {
  const before = pids.map(cpuSeconds);
  const started = performance.now();
  await sleep(ms);
  const seconds = (performance.now() - started) / 1000;
  return pids.map((pid, index) => (cpuSeconds(pid) - (before[index] ?? 0)) / seconds);
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
  const pids = pool.workerPids().filter((pid): pid is number => pid !== undefined);
  const idle = await cpuOver(pids, IDLE_SECONDS * 1000);
  let speaking = true;
  let sent = 0;
  // Paced by elapsed time, not per timer tick: a late timer sends what was due, so both runs
  // carry 50 packets a second however busy the host is (their idle cost is spread alike).
  const speech = (async () => {
    const startedAt = performance.now();
    while (speaking) {
      const due = Math.floor((performance.now() - startedAt) / FRAME_MS);
      for (; sent <= due; sent++) speaker.send(sent & 0xffff, Buffer.alloc(80, sent));
      await sleep(FRAME_MS / 4);
    }
  })();
  await sleep(2_000);
  const received = () => listeners.reduce((sum, listener) => sum + listener.received.length, 0);
  const copiesBefore = received();
  const sentBefore = sent;
  const started = performance.now();
  const busy = await cpuOver([...pids, process.pid], SECONDS * 1000);
  const seconds = (performance.now() - started) / 1000;
  const sentInWindow = sent - sentBefore;
  // Copies still in flight at the end of the window arrive before this settles.
  await sleep(200);
  const copies = received() - copiesBefore;
  speaking = false;
  await speech;
  await speaker.close();
  await Promise.all(listeners.map((listener) => listener.close()));
  await pool.stop();
  const workersCpu = busy.slice(0, pids.length);
  return {
    workers,
    copies,
    seconds,
    workersCpu,
    idle,
    generatorCpu: busy.at(-1) ?? Number.NaN,
    expected: LISTENERS * sentInWindow,
  };
}

const share = (value: number) => `${(value * 100).toFixed(0)}%`;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

console.log(`bench/cascade: one speaker, ${LISTENERS} libsrtp listeners, ${SECONDS} s windows`);
const perCopy: number[] = [];
const losses: number[] = [];
for (const workers of [1, 2]) {
  const { copies, seconds, workersCpu, idle, generatorCpu, expected } = await measure(workers);
  const cpuSecondsUsed = sum(workersCpu) * seconds;
  const micros = copies > 0 ? (cpuSecondsUsed / copies) * 1e6 : Number.NaN;
  const forwarding =
    copies > 0 ? ((cpuSecondsUsed - sum(idle) * seconds) / copies) * 1e6 : Number.NaN;
  const loss = Math.max(0, 1 - copies / expected) * 100;
  perCopy.push(micros);
  losses.push(loss);
  console.log(
    `${workers} worker(s): ${copies} copies received (${loss.toFixed(2)}% of the copies due missing); ` +
      `workers' CPU ${workersCpu.map(share).join(' + ')} of a core speaking, ` +
      `${idle.map(share).join(' + ')} silent; ${micros.toFixed(1)} µs per copy ` +
      `(${forwarding.toFixed(1)} beyond idle); listeners' process (load generator) ${share(generatorCpu)}`,
  );
}
const [one, two] = perCopy as [number, number];
// CPU per copy means nothing for a run that lost copies: that run is no result.
const lossy = losses.some((loss) => !(loss <= LOSS_GOAL_PERCENT));
console.log(
  `  goal: two workers' CPU per copy no worse than one worker's: ${two.toFixed(1)} vs ` +
    `${one.toFixed(1)} µs (${((two / one - 1) * 100).toFixed(0)}%) ` +
    (lossy
      ? `(NO RESULT: a run missed more than ${LOSS_GOAL_PERCENT}% of its copies)`
      : two <= one
        ? '(met)'
        : two <= one * (1 + NOISE)
          ? '(met within 5% noise)'
          : '(FAILED)'),
);
