/**
 * Keeps the load generator off the workers' cores (`--pin`): the listeners' process on the first
 * CPU, the relay workers on the others. Unpinned, the generator took 156–168% of this 2-core host
 * and the workers' CPU per copy included whatever sharing a core with it cost them, which varied
 * from run to run.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

const GENERATOR_CPU = 0;
// Not availableParallelism(): it counts the CPUs this process may use, one once it is pinned.
const HOST_CPUS = cpus().length;

/** Whether there is a CPU left for the workers once the generator has its own. */
export function canPin(): boolean {
  return HOST_CPUS >= 2;
}

/** Moves every thread of `pid` to `cpus` (taskset -a: libdatachannel and libuv threads too). */
function pin(pid: number, list: string): void {
  execFileSync('taskset', ['-a', '-c', '-p', list, String(pid)], { stdio: 'ignore' });
}

/** This process (the listeners) on CPU 0; threads and children it starts later inherit it. */
export function pinGenerator(): void {
  pin(process.pid, String(GENERATOR_CPU));
}

/** The relay workers on every CPU but the generator's. */
export function pinWorkers(pids: readonly number[]): string {
  const list = `${GENERATOR_CPU + 1}-${HOST_CPUS - 1}`;
  for (const pid of pids) pin(pid, list);
  return list;
}
