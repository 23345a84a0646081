/**
 * Whether this host can count instructions retired (perf, hardware counters), which would judge
 * CPU per copy without the noise of what shares the cores. Many VMs expose no hardware counters
 * (this project's machines among them): perf then prints <not supported> for the event. There,
 * `--count=instructions` counts them in software instead, with the workers under valgrind
 * (callgrind-workers.ts): exact and repeatable, but 20-50 times slower, so at a smaller scale.
 */
import { spawnSync } from 'node:child_process';

/** Why instructions cannot be counted here, or undefined where perf counts them. */
export function instructionCounterProblem(): string | undefined {
  const result = spawnSync('perf', ['stat', '-x,', '-e', 'instructions:u', '--', 'true'], {
    encoding: 'utf8',
  });
  if (result.error) return `no perf (${result.error.message})`;
  const line = result.stderr.split('\n').find((row) => row.includes('instructions')) ?? '';
  const count = line.split(',')[0] ?? '';
  return /^\d+$/.test(count) ? undefined : `perf stat -e instructions: ${count || 'no count'}`;
}
