/**
 * A process's cost read from outside (Linux /proc): CPU of all its threads and of its main thread
 * (the event loop), and its resident memory.
 */
import { readdirSync, readFileSync } from 'node:fs';

// USER_HZ: the unit of /proc's utime and stime; 100 on every Linux architecture Node runs on.
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds from a /proc stat line (fields 14 and 15). */
function statSeconds(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8');
    // The command name in parentheses may hold spaces; count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

export type CpuMark = {
  at: number;
  /** The whole process: its live threads and those that ended. */
  process: number;
  /** task/<pid>/stat: the thread that runs JavaScript. */
  mainThread: number;
  /** Seconds the main thread was runnable but waited for a CPU (schedstat's run_delay). */
  mainThreadWaited: number;
  /** Threads alive now (task/*): libuv's pool, V8's workers, PGlite's... */
  threadCount: number;
};

function runDelaySeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return Number.NaN;
  }
}

export function cpuMark(pid: number): CpuMark {
  let threadCount = 0;
  try {
    threadCount = readdirSync(`/proc/${pid}/task`).length;
  } catch {
    threadCount = Number.NaN;
  }
  return {
    at: performance.now(),
    process: statSeconds(`/proc/${pid}/stat`),
    mainThread: statSeconds(`/proc/${pid}/task/${pid}/stat`),
    mainThreadWaited: runDelaySeconds(pid),
    threadCount,
  };
}

/** Resident memory in bytes (VmRSS), NaN once the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export type Cost = {
  /** Cores' worth of CPU over the window: 1 is one core fully busy. */
  cpu: number;
  mainThreadCpu: number;
  /**
   * Share of the window the main thread waited for a CPU: other processes (or the server's own
   * threads) holding its core. High means the machine, not the server, set the latency.
   */
  mainThreadWaiting: number;
  peakRss: number;
  endRss: number;
  threadCount: number;
};

/** Watches a process through a window: CPU from its two ends, RSS sampled every `everyMs`. */
export function watchCost(pid: number, everyMs = 200) {
  const from = cpuMark(pid);
  let peakRss = rssBytes(pid);
  const timer = setInterval(() => {
    const rss = rssBytes(pid);
    if (!Number.isNaN(rss)) peakRss = Math.max(peakRss, rss);
  }, everyMs);
  return {
    stop(): Cost {
      clearInterval(timer);
      const to = cpuMark(pid);
      const seconds = (to.at - from.at) / 1000;
      const endRss = rssBytes(pid);
      return {
        cpu: (to.process - from.process) / seconds,
        mainThreadCpu: (to.mainThread - from.mainThread) / seconds,
        mainThreadWaiting: (to.mainThreadWaited - from.mainThreadWaited) / seconds,
        peakRss: Number.isNaN(endRss) ? peakRss : Math.max(peakRss, endRss),
        endRss,
        threadCount: to.threadCount,
      };
    },
  };
}
