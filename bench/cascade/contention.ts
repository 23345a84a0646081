/**
 * What else ran while a window was measured: the host's CPU used by processes other than the
 * bench's own, the time the workers' main threads were runnable but waited for a CPU (their
 * share of a core taken by the generator or the others), and the load average.
 */
import { readFileSync } from 'node:fs';
import { createHostLoad, type LoadMark } from '../relay/host-load.ts';

/** Seconds the thread `pid` (a process's main thread) waited in the run queue (schedstat). */
function waitedSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return Number.NaN;
  }
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export type Contention = { others: number; workersWaited: number[]; loadAverage: string };

/** Starts watching; the returned function reads what competed with `workerPids` since. */
export function watchContention(workerPids: readonly number[]): () => Contention {
  const host = createHostLoad([...workerPids, process.pid]);
  const from: LoadMark = host.mark();
  const waitedBefore = workerPids.map(waitedSeconds);
  return () => {
    const seconds = (performance.now() - from.at) / 1000;
    return {
      others: host.othersSince(from),
      workersWaited: workerPids.map(
        (pid, index) => (waitedSeconds(pid) - (waitedBefore[index] ?? 0)) / seconds,
      ),
      loadAverage: loadAverage(),
    };
  };
}
