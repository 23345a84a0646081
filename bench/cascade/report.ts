/**
 * bench/cascade's lines: one per window (CPU per copy and what competed with the workers), and
 * the verdict with each set-up's rounds and their spread, so that a difference between one
 * worker and two can be read against the difference between two runs of the same set-up.
 */
import type { Contention } from './contention.ts';

/** Two workers' CPU per copy may exceed one worker's by this much and still count as no worse. */
const NOISE = 0.05;
/** Copies missing at the listeners above which a run's CPU per copy is not judged. */
const LOSS_GOAL_PERCENT = 1;
/** The generator above this share of the cores it may use is saturated (it drops copies itself). */
const SATURATED = 0.9;

export type Window = Contention & {
  copies: number;
  seconds: number;
  workersCpu: number[];
  generatorCpu: number;
  /** The host's cores, which the generator shares with the workers. */
  generatorCores: number;
  expected: number;
};

export type Run = { workers: number; cpuSeconds: number; copies: number; loss: number };

export const share = (value: number) => `${(value * 100).toFixed(0)}%`;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Prints one window's line; returns its CPU, copies and the share of copies missing. */
export function report(label: string, window: Window, idle: number[]) {
  const { copies, seconds, workersCpu, generatorCpu, generatorCores, expected } = window;
  const cpuSeconds = sum(workersCpu) * seconds;
  const micros = copies > 0 ? (cpuSeconds / copies) * 1e6 : Number.NaN;
  const forwarding = copies > 0 ? ((cpuSeconds - sum(idle) * seconds) / copies) * 1e6 : Number.NaN;
  const loss = Math.max(0, 1 - copies / expected) * 100;
  const saturated = generatorCpu > generatorCores * SATURATED ? ' SATURATED' : '';
  console.log(
    `${label}: ${copies} copies received (${loss.toFixed(2)}% of the copies due missing); ` +
      `workers' CPU ${workersCpu.map(share).join(' + ')} of a core speaking, ` +
      `${idle.map(share).join(' + ')} silent (main threads ` +
      `${window.workersMainThread.map(share).join(' + ')} speaking); ${micros.toFixed(1)} µs per copy ` +
      `(${forwarding.toFixed(1)} beyond idle); listeners' process (load generator) ` +
      `${share(generatorCpu)} of ${generatorCores} core(s)${saturated}; workers waited for a CPU ` +
      `${window.workersWaited.map(share).join(' + ')} of the window; other processes ` +
      `${share(window.others)}; load average ${window.loadAverage}`,
  );
  return { cpuSeconds, copies, loss };
}

const perCopy = (runs: readonly Run[]) => {
  const copies = sum(runs.map((run) => run.copies));
  return copies > 0 ? (sum(runs.map((run) => run.cpuSeconds)) / copies) * 1e6 : Number.NaN;
};

/** A set-up's rounds in µs per copy, and the slowest over the fastest. */
function spread(runs: readonly Run[]): string {
  const micros = runs.map((run) => perCopy([run]));
  const ratio = Math.max(...micros) / Math.min(...micros) - 1;
  return `${micros.map((value) => value.toFixed(1)).join(' / ')} µs (spread ${(ratio * 100).toFixed(0)}%)`;
}

/** Prints each set-up's rounds and the goal's verdict on all rounds' CPU over all copies. */
export function judge(runs: readonly Run[], over: string): void {
  const ones = runs.filter((run) => run.workers === 1);
  const twos = runs.filter((run) => run.workers === 2);
  console.log(`  one worker, each round: ${spread(ones)}; two workers: ${spread(twos)}`);
  const one = perCopy(ones);
  const two = perCopy(twos);
  // CPU per copy means nothing for a run that lost copies: that run is no result.
  const lossy = runs.some((run) => !(run.loss <= LOSS_GOAL_PERCENT));
  console.log(
    `  goal: two workers' CPU per copy no worse than one worker's (workers' CPU from /proc), ${over}: ` +
      `${two.toFixed(1)} vs ${one.toFixed(1)} µs (${((two / one - 1) * 100).toFixed(0)}%) ` +
      (lossy
        ? `(NO RESULT: a run missed more than ${LOSS_GOAL_PERCENT}% of its copies)`
        : two <= one
          ? '(met)'
          : two <= one * (1 + NOISE)
            ? '(met within 5% noise)'
            : '(FAILED)'),
  );
}
