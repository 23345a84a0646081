/**
 * What else ran while a window was measured: the host's CPU used by processes other than the
 * bench's own, the time the workers' main threads were runnable but waited for a CPU (their
 * share of a core taken by the generator or the others), and the load average. Beside them, the
 * workers' main threads' own CPU: the rest of a worker's is V8's compiler and GC threads and
 * libuv's, which a second process pays again.
 */
import { readFileSync } from 'node:fs';
import { createHostLoad, type LoadMark, mainThreadSeconds } from '../relay/host-load.ts';

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

export type Contention = {
  others: number;
  workersWaited: number[];
  /** Each worker's main thread's CPU, as a share of one core. */
  workersMainThread: number[];
  loadAverage: string;
};

/** Starts watching; the returned function reads what competed with `workerPids` since. */
export function watchContention(workerPids: readonly number[]): () => Contention {
  const host = createHostLoad([...workerPids, process.pid]);
  const from: LoadMark = host.mark();
  const waitedBefore = workerPids.map(waitedSeconds);
  const mainBefore = workerPids.map(mainThreadSeconds);
  return () => {
    const seconds = (performance.now() - from.at) / 1000;
    return {
      others: host.othersSince(from),
      workersWaited: workerPids.map(
        (pid, index) => (waitedSeconds(pid) - (waitedBefore[index] ?? 0)) / seconds,
      ),
      workersMainThread: workerPids.map(
        (pid, index) => (mainThreadSeconds(pid) - (mainBefore[index] ?? 0)) / seconds,
      ),
      loadAverage: loadAverage(),
    };
  };
}
