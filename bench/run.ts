/**
 * Runs the benchmarks under bench/: every folder with a main.ts, each in a fresh Node process
 * (with --expose-gc, so memory figures follow a full collection) one after the other.
 *
 *   npm run bench                            all of them
 *   npm run bench -- subscriptions           those whose name contains "subscriptions"
 *   npm run bench -- subscriptions --rounds=5   options after the name go to the benchmark
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const [first, ...rest] = process.argv.slice(2);
const filter = first?.startsWith('--') ? undefined : first;
const options = filter === undefined ? process.argv.slice(2) : rest;

const found = readdirSync(benchDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(benchDir, entry.name, 'main.ts')))
  .map((entry) => entry.name)
  .sort();
const selected = found.filter((name) => filter === undefined || name.includes(filter));
if (selected.length === 0) {
  console.error(`no benchmark matches "${filter}"; there are: ${found.join(', ')}`);
  process.exit(1);
}

function runOne(name: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(benchDir, name, 'main.ts'), ...options],
    { stdio: 'inherit' },
  );
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

let failed = 0;
for (const name of selected) {
  const started = performance.now();
  const code = await runOne(name);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${code === 0 ? 'done' : `FAILED (exit ${code})`}: bench/${name} in ${seconds} s\n`);
  if (code !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
