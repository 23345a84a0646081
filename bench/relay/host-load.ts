/**
 * CPU used on this host by processes other than the bench's own (Linux /proc). The machine may be
 * shared with other work; its load competes with the relay and the peers for their cores, so
 * windows wait for a quiet moment (within limits) and report what competed with them.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const TICKS_PER_SECOND = 100;

/** Busy CPU seconds of the whole host: every /proc/stat field but idle and iowait. */
function hostSeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
  const ticks = fields.slice(1, 9).map(Number);
  const busy = ticks.reduce((sum, value, index) =>
    index === 3 || index === 4 ? sum : sum + value,
  );
  return busy / TICKS_PER_SECOND;
}

/** User + system CPU seconds of a process, all its threads (0 once it is gone). */
export function processSeconds(pid: number): number {
  return statSeconds(`/proc/${pid}/stat`);
}

/** User + system CPU seconds of a process's main thread alone (its JavaScript, in Node). */
export function mainThreadSeconds(pid: number): number {
  return statSeconds(`/proc/${pid}/task/${pid}/stat`);
}

function statSeconds(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses; utime, stime are 14, 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Seconds the thread `pid` (a process's main thread) spent runnable but waiting for a CPU. */
function runQueueSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return Number.NaN;
  }
}

export type LoadMark = { at: number; host: number; own: number; waited: number };

/** Watches the host's CPU beside that of `pids` (the bench's processes). */
export function createHostLoad(pids: readonly number[]) {
  let readable = true;
  try {
    hostSeconds();
  } catch {
    readable = false;
  }
  const own = () => pids.reduce((sum, pid) => sum + processSeconds(pid), 0);
  const mark = (): LoadMark => ({
    at: performance.now(),
    host: readable ? hostSeconds() : 0,
    own: own(),
    waited: runQueueSeconds(process.pid),
  });
  /** Cores' worth of CPU the others used since `from`. */
  const othersSince = (from: LoadMark): number => {
    if (!readable) return Number.NaN;
    const to = mark();
    const seconds = (to.at - from.at) / 1000;
    return Math.max(0, (to.host - from.host - (to.own - from.own)) / seconds);
  };
  /** Share of the time since `from` this process's main thread waited for a CPU. */
  const starvedSince = (from: LoadMark): number =>
    (runQueueSeconds(process.pid) - from.waited) / ((performance.now() - from.at) / 1000);
  let waitedMs = 0;

  return {
    mark,
    othersSince,
    starvedSince,
    /** Total time spent waiting in `quiet` so far. */
    get waitedMs() {
      return waitedMs;
    },

    /**
     * Waits until the others use less than `threshold` cores over a second, for at most
     * `maxMs` (and at most `budgetMs` over the whole run); resolves with their last load.
     */
    async quiet(threshold: number, maxMs: number, budgetMs: number): Promise<number> {
      if (!readable) return Number.NaN;
      const started = performance.now();
      for (;;) {
        const from = mark();
        await sleep(1_000);
        const load = othersSince(from);
        const spent = performance.now() - started;
        if (load < threshold || spent >= maxMs || waitedMs + spent >= budgetMs) {
          waitedMs += spent - 1_000;
          return load;
        }
      }
    },
  };
}

export type HostLoad = ReturnType<typeof createHostLoad>;
