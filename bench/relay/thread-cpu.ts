/**
 * A process's CPU split by thread (Linux /proc): its main thread (JavaScript, and the addon's
 * calls) against V8's and libuv's helpers (compilers, concurrent marking, the thread pool), and
 * the share spent in the kernel (page faults on fresh memory, socket calls). A relay's first
 * burst costs more than later ones; this says which thread pays.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export type ThreadCpu = { main: number; helpers: number; system: number };

function ticksOf(path: string): { user: number; system: number } {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses; utime, stime are 14, 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]), system: Number(fields[12]) };
  } catch {
    return { user: 0, system: 0 };
  }
}

/** CPU seconds so far of `pid`'s main thread, its other threads, and kernel time of all. */
export function threadCpu(pid: number): ThreadCpu {
  let main = 0;
  let helpers = 0;
  let system = 0;
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { main, helpers, system };
  }
  for (const task of tasks) {
    const ticks = ticksOf(`/proc/${pid}/task/${task}/stat`);
    const seconds = (ticks.user + ticks.system) / TICKS_PER_SECOND;
    if (Number(task) === pid) main += seconds;
    else helpers += seconds;
    system += ticks.system / TICKS_PER_SECOND;
  }
  return { main, helpers, system };
}

/** "main 1.20 s, helpers 0.31 s, kernel 0.22 s" between two readings (helpers that exited are lost). */
export function threadCpuSince(from: ThreadCpu, to: ThreadCpu): string {
  const part = (value: number) => `${value.toFixed(2)} s`;
  return (
    `main thread ${part(to.main - from.main)}, helper threads ${part(to.helpers - from.helpers)}, ` +
    `kernel ${part(to.system - from.system)}`
  );
}
