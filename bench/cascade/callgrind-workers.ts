/**
 * Relay workers run under valgrind's callgrind, which counts the instructions a process retires
 * (all its threads, V8's generated code and the native addon alike) whatever else shares the
 * cores: this host has no hardware counter (instruction-counter.ts), and its CPU seconds vary
 * with the load generator beside the workers. Callgrind rather than lackey (its per-instruction
 * callback is several times slower still) or exp-bbv (which counts per interval, not on demand):
 * callgrind can be asked for its counts at any moment (`vgdb --pid=<pid> dump` writes the counts
 * since the previous dump and zeroes them), so a window's count is the dump at its end.
 */
import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const quoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Makes the workers this process forks from now on run under callgrind, writing into `dir`, and
 * returns a function that undoes it. fork() runs `process.execPath` unless told otherwise, so
 * pointing it at a script that runs node under valgrind reaches the pool's workers without an
 * option in server/. V8 rewrites code it generated: valgrind must look for that in every page
 * not backed by a file (--smc-check=all-non-file: amd64's default, given so that it stays).
 * Node keeps its JIT, as in production, but not V8's memory reducer: its full collections start
 * from timers (some seconds after allocation slows, so at the silences between the bench's
 * windows) and fell into one window or the next by chance, 100-170 M instructions each, two
 * workers' figure moving 17% between runs; without it, collections follow allocation only.
 */
export function forkWorkersUnderCallgrind(dir: string): () => void {
  const node = process.execPath;
  const wrapper = join(dir, 'node-under-callgrind.sh');
  const valgrind = [
    'valgrind',
    '--tool=callgrind',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${quoted(join(dir, 'callgrind.%p'))}`,
    `--log-file=${quoted(join(dir, 'valgrind.%p.log'))}`,
  ].join(' ');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${valgrind} ${quoted(node)} --no-memory-reducer "$@"\n`);
  chmodSync(wrapper, 0o755);
  process.execPath = wrapper;
  return () => {
    process.execPath = node;
  };
}

/** The number of callgrind's last dump file of `pid` in `dir` (callgrind.<pid>.<n>), or 0. */
function lastDump(dir: string, pid: number): number {
  const prefix = `callgrind.${pid}.`;
  const numbers = readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => Number(name.slice(prefix.length)));
  return Math.max(0, ...numbers);
}

/**
 * Instructions each worker retired since its previous dump (or its start): asks callgrind for a
 * dump, then reads its `totals:` line.
 */
export async function instructionsSinceLastDump(
  dir: string,
  pids: readonly number[],
): Promise<number[]> {
  return Promise.all(
    pids.map(async (pid) => {
      const before = lastDump(dir, pid);
      await run('vgdb', [`--pid=${pid}`, 'dump'], { timeout: 60_000 });
      const after = lastDump(dir, pid);
      if (after !== before + 1) throw new Error(`callgrind wrote no dump for worker ${pid}`);
      const text = readFileSync(join(dir, `callgrind.${pid}.${after}`), 'utf8');
      const totals = /^totals:\s*(\d+)/m.exec(text)?.[1];
      if (totals === undefined) throw new Error(`no totals in callgrind's dump of ${pid}`);
      return Number(totals);
    }),
  );
}
