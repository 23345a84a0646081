/**
 * CPU per forwarded copy of one space held by one relay worker, then spread over two (a cascade:
 * the speaker's packets piped to the second worker) as the pool spreads it: a space stays on one
 * worker until it carries `--spread-after` sessions more than the other (RELAY_SPREAD_AFTER, 500
 * by default), so the default 1,000 listeners end up 500 on each. Listeners are libdatachannel peers (full ICE
 * and DTLS-SRTP, libsrtp decrypting); copies are counted where they arrive, CPU is the workers'
 * own (all threads, /proc), with the speaker talking and then seated but silent (the workers'
 * idle cost, which does not scale with copies). The peer figure: the same fan-out on one worker;
 * the goal: two workers' CPU per copy no worse than one worker's. The listeners run in this
 * process, whose CPU is printed too: a saturated load generator drops copies of its own.
 * Two windows: one 2 s after the speaker starts (fresh workers, V8 still compiling the
 * forwarding path, once per process) and one after `--warm` seconds of speech, as a worker that
 * has run for a while; the goal is judged on the second, and both are printed.
 * The two set-ups run in turn, `--rounds` times in ABBA order (one worker, two, two, one, ...) so
 * that a host growing busier or quieter weighs on both alike; the goal is judged on all rounds'
 * CPU over all their copies, and every run's line is printed.
 *
 * Each set-up's rounds are printed with their spread (slowest over fastest), and each window with
 * what competed with the workers (the generator, other processes, the load average). Pinning
 * the generator to one CPU and the workers to the other did not narrow the spread (tried at 500
 * listeners, where the pinned generator already saturates its core). No hardware counter
 * (instructions retired) is read: this host's VM exposes none (`perf stat -e instructions`
 * reports <not supported>), so this verdict reads the workers' CPU from /proc.
 *
 * `--count=instructions` judges the same goal on the instructions the workers retire, counted by
 * valgrind (callgrind), which the load beside them does not change: a smaller space (50
 * listeners by default, as valgrind slows the workers 20-50 times), see instructions.ts.
 *
 *   npm run bench -- cascade [--listeners=1000] [--spread-after=500] [--seconds=10] [--warm=30]
 *     [--rounds=2]
 *   npm run bench -- cascade --count=instructions [--listeners=50] [--spread-after=25]
 *     [--seconds=20] [--warm=10] [--rounds=1]
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SPREAD_AFTER } from '../../server/media/relay-workers/worker-placement.ts';
import { watchContention } from './contention.ts';
import { instructionCounterProblem } from './instruction-counter.ts';
import { countInstructions } from './instructions.ts';
import { judge, report, share, type Window } from './report.ts';
import { seatSpace, startSpeech } from './seated-space.ts';

const option = (name: string, fallback: number) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const LISTENERS = option('listeners', 1000);
const SPREAD_AFTER = option('spread-after', DEFAULT_SPREAD_AFTER);
const SECONDS = option('seconds', 10);
const WARM_SECONDS = option('warm', 30);
const ROUNDS = option('rounds', 2);
const IDLE_SECONDS = 4;

if (process.argv.includes('--count=instructions')) {
  await countInstructions(option);
  // As below: the listeners' native threads keep the process alive.
  process.exit(0);
}

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
  const space = await seatSpace(workers, LISTENERS, SPREAD_AFTER);
  const { perWorker, pids, received } = space;
  const idle = await cpuOver(pids, IDLE_SECONDS * 1000);
  const speech = startSpeech(space.speaker);
  const speakingSince = performance.now();
  const window = async (): Promise<Window> => {
    const copiesBefore = received();
    const sentBefore = speech.sent();
    const started = performance.now();
    const contention = watchContention(pids);
    const busy = await cpuOver([...pids, process.pid], SECONDS * 1000);
    const competing = contention();
    const seconds = (performance.now() - started) / 1000;
    const sentInWindow = speech.sent() - sentBefore;
    // Copies still in flight at the end of the window arrive before this settles.
    await sleep(200);
    return {
      copies: received() - copiesBefore,
      seconds,
      workersCpu: busy.slice(0, pids.length),
      generatorCpu: busy.at(-1) ?? Number.NaN,
      generatorCores: availableParallelism(),
      expected: LISTENERS * sentInWindow,
      ...competing,
    };
  };
  await sleep(2_000);
  const early = await window();
  await sleep(Math.max(0, WARM_SECONDS * 1000 - (performance.now() - speakingSince)));
  const warm = await window();
  await speech.stop();
  // Silent again, once the last copies are out: the idle cost of a worker that has run a while.
  await sleep(1_000);
  const idleAfter = await cpuOver(pids, IDLE_SECONDS * 1000);
  await space.close();
  return { workers, perWorker, idle, idleAfter, early, warm };
}

console.log(
  `bench/cascade: one speaker, ${LISTENERS} libsrtp listeners, ${SECONDS} s windows ` +
    `(2 s into the speech, and after ${WARM_SECONDS} s of it); a space spreads to another worker ` +
    `once its own carries ${SPREAD_AFTER} sessions more`,
);
const noCounter = instructionCounterProblem();
console.log(
  `  the verdict reads the workers' CPU from /proc (all threads, user + system): ` +
    (noCounter
      ? `instructions retired cannot be counted on this host (${noCounter})`
      : 'this host could count instructions retired (perf), which this bench does not do yet') +
    '; --count=instructions counts them under valgrind',
);
const runs: { workers: number; cpuSeconds: number; copies: number; loss: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const workers of round % 2 === 0 ? [1, 2] : [2, 1]) {
    const { perWorker, idle, idleAfter, early, warm } = await measure(workers);
    const label = `round ${round + 1}, ${workers} worker(s) (listeners ${perWorker.join(' + ')})`;
    report(`${label}, 2 s into the speech`, early, idle);
    const { cpuSeconds, copies, loss } = report(
      `${label}, after ${WARM_SECONDS} s of speech`,
      warm,
      idle,
    );
    console.log(`  ${label}, silent again after the speech: ${idleAfter.map(share).join(' + ')}`);
    runs.push({ workers, cpuSeconds, copies, loss });
  }
}
judge(runs, `after ${WARM_SECONDS} s of speech, over ${ROUNDS} round(s)`);
// The process does not end by itself once the listeners are closed (their native threads), and
// run.ts waits for it: it lingered, using a few % of a core, under the next benchmark.
process.exit(0);
