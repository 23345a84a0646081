import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type PocketsphinxOptions, pocketsphinxArgs } from './pocketsphinx-engine.ts';

/**
 * Why pocketsphinx cannot run here (no Python, no bindings, no model), or null when it can.
 * Checked once at start, so a missing package shows in the banner instead of failing the first
 * space that turns captions on.
 */
export function pocketsphinxProblem(options: PocketsphinxOptions = {}): string | null {
  const python = options.python ?? '/usr/bin/python3';
  const [, ...modelFiles] = pocketsphinxArgs(options);
  const missing = modelFiles.find((file) => !existsSync(file));
  if (missing) return `no model at ${missing}`;
  const probe = spawnSync(python, ['-c', 'import pocketsphinx'], { timeout: 10_000 });
  if (probe.error) return `${python} cannot run (${probe.error.message})`;
  if (probe.status !== 0) return `${python} has no pocketsphinx module`;
  return null;
}
