/**
 * bench/cascade --count=instructions: the cascade's goal judged on instructions retired rather
 * than CPU seconds, which on this 2-core host vary with the load generator beside the workers.
 * The workers run under callgrind (callgrind-workers.ts), 20-50 times slower, so the space is
 * smaller (50 listeners by default, half on each worker when spread; at 100, two workers under
 * valgrind missed 22-54% of their copies on a busy host). Each set-up seats the
 * space, then counts its workers' instructions over windows bounded by silence, so that no
 * packet straddles two of them:
 *   - idle: the speaker seated but silent, as long as a speech window;
 *   - a first burst of speech (`--warm` seconds, V8 compiling the forwarding path), then a
 *     silent second;
 *   - the measured burst (`--seconds`), then silence until the last copies are out;
 *   - idle again, as long.
 * "Beyond idle" subtracts each worker's lesser silent window (per second): the one before the
 * speech may still hold compiling after the joins, the one after a major collection of the
 * speech's garbage (which belongs to the copies), each 50-150 M instructions.
 * A window whose listeners missed more than 1% of the copies due counts a worker that could not
 * keep up (its socket dropped what it had no time for): it is reported as FAILED, not judged.
 */
import { mkdtempSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { forkWorkersUnderCallgrind, instructionsSinceLastDump } from './callgrind-workers.ts';
import { seatSpace, startSpeech } from './seated-space.ts';

/** Two workers' instructions per copy may exceed one worker's by this much and still pass. */
const NOISE = 0.05;
const LOSS_GOAL_PERCENT = 1;
/** Silence after a burst, for copies a worker under valgrind still has queued. */
const TAIL_MS = 2_000;

type Option = (name: string, fallback: number) => number;

type Silence = { instructions: number[]; seconds: number };
type Burst = Silence & { copies: number; expected: number; packets: number };

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const millions = (value: number) => `${(value / 1e6).toFixed(1)} M`;

export async function countInstructions(option: Option): Promise<void> {
  const listeners = option('listeners', 50);
  const spreadAfter = option('spread-after', Math.ceil(listeners / 2));
  const seconds = option('seconds', 20);
  const warm = option('warm', 10);
  const rounds = option('rounds', 1);
  const dir = mkdtempSync('/tmp/amphi-callgrind-');
  console.log(
    `bench/cascade --count=instructions: one speaker, ${listeners} libsrtp listeners, the relay ` +
      `workers under callgrind (instructions retired, all threads; dumps in ${dir}); ` +
      `${warm} s of speech, then ${seconds} s measured; a space spreads to another worker once ` +
      `its own carries ${spreadAfter} sessions more`,
  );
  const restore = forkWorkersUnderCallgrind(dir);
  const count = (pids: readonly number[]) => instructionsSinceLastDump(dir, pids);

  async function measure(workers: number) {
    const space = await seatSpace(workers, listeners, spreadAfter, 600_000);
    const { pids, received } = space;
    let sequence = 0;
    const burst = async (burstSeconds: number): Promise<Burst> => {
      const started = performance.now();
      const copiesBefore = received();
      const speech = startSpeech(space.speaker, sequence);
      await sleep(burstSeconds * 1000);
      await speech.stop();
      sequence += speech.sent();
      await sleep(TAIL_MS);
      // The window's length is its traffic's and timers', not the time its count takes.
      const elapsed = (performance.now() - started) / 1000;
      return {
        instructions: await count(pids),
        seconds: elapsed,
        copies: received() - copiesBefore,
        expected: listeners * speech.sent(),
        packets: speech.sent(),
      };
    };
    const silence = async (silentSeconds: number): Promise<Silence> => {
      const started = performance.now();
      await sleep(silentSeconds * 1000);
      const elapsed = (performance.now() - started) / 1000;
      return { instructions: await count(pids), seconds: elapsed };
    };
    await sleep(TAIL_MS);
    await count(pids); // start-up and joins: not counted
    const windowSeconds = seconds + TAIL_MS / 1000;
    const idleBefore = await silence(windowSeconds);
    const first = await burst(warm);
    const measured = await burst(seconds);
    const idleAfter = await silence(measured.seconds);
    await space.close();
    return { perWorker: space.perWorker, idleBefore, first, measured, idleAfter };
  }

  const results: Result[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const workers of round % 2 === 0 ? [1, 2] : [2, 1]) {
        const { perWorker, idleBefore, first, measured, idleAfter } = await measure(workers);
        const label = `round ${round + 1}, ${workers} worker(s) (listeners ${perWorker.join(' + ')})`;
        const idle = idleBefore.instructions.map((before, index) =>
          Math.min(
            before / idleBefore.seconds,
            (idleAfter.instructions[index] ?? Number.NaN) / idleAfter.seconds,
          ),
        );
        const early = perCopy(first, idle);
        const judged = perCopy(measured, idle);
        console.log(
          `${label}: silent ${idleBefore.instructions.map(millions).join(' + ')} instructions ` +
            `over ${idleBefore.seconds.toFixed(1)} s before the speech, ` +
            `${idleAfter.instructions.map(millions).join(' + ')} over ` +
            `${idleAfter.seconds.toFixed(1)} s after\n` +
            `  first ${warm} s of speech: ${describe(first, early)}\n` +
            `  measured ${seconds} s of speech: ${describe(measured, judged)}`,
        );
        results.push({ workers, ...judged });
      }
    }
  } finally {
    restore();
  }
  judge(results);
}

type PerCopy = { total: number; beyondIdle: number; loss: number };
type Result = PerCopy & { workers: number };

/**
 * Instructions per copy, with or without the workers' silent cost over as long (`idle`: each
 * worker's instructions per second silent).
 */
function perCopy(burst: Burst, idle: readonly number[]): PerCopy {
  const idleInBurst = sum(idle) * burst.seconds;
  return {
    total: sum(burst.instructions) / burst.copies,
    beyondIdle: (sum(burst.instructions) - idleInBurst) / burst.copies,
    loss: Math.max(0, 1 - burst.copies / burst.expected) * 100,
  };
}

function describe(burst: Burst, { total, beyondIdle, loss }: PerCopy): string {
  return (
    `${burst.copies} copies (${loss.toFixed(2)}% of those due missing` +
    `${loss <= LOSS_GOAL_PERCENT ? '' : ': FAILED, not judged'}), ` +
    `${burst.instructions.map(millions).join(' + ')} instructions over ` +
    `${burst.seconds.toFixed(1)} s; ${total.toFixed(0)} per copy, ${beyondIdle.toFixed(0)} beyond idle; ` +
    `${burst.packets} speaker packets, ${(sum(burst.instructions) / burst.packets).toFixed(0)} ` +
    'instructions per packet'
  );
}

/** The goal's verdict on each set-up's mean over its rounds (counts barely vary between them). */
function judge(results: readonly Result[]): void {
  const mean = (workers: number, pick: (result: Result) => number) => {
    const of = results.filter((result) => result.workers === workers).map(pick);
    return sum(of) / of.length;
  };
  const one = mean(1, (result) => result.total);
  const two = mean(2, (result) => result.total);
  const oneBeyond = mean(1, (result) => result.beyondIdle);
  const twoBeyond = mean(2, (result) => result.beyondIdle);
  const percent = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)}%`;
  const lossy = results.some((result) => !(result.loss <= LOSS_GOAL_PERCENT));
  console.log(
    `  goal: two workers' instructions per copy no worse than one worker's (measured burst): ` +
      `${two.toFixed(0)} vs ${one.toFixed(0)} (${percent(two, one)}; beyond idle ` +
      `${twoBeyond.toFixed(0)} vs ${oneBeyond.toFixed(0)}, ${percent(twoBeyond, oneBeyond)}) ` +
      (lossy
        ? `(NO RESULT: a window missed more than ${LOSS_GOAL_PERCENT}% of its copies)`
        : two <= one * (1 + NOISE)
          ? '(met)'
          : '(FAILED)'),
  );
}
