/**
 * The V8 sampling profiler around part of a run, summarised by source file and by function: where
 * the relay's process spends its time per forwarded packet.
 */
import { writeFileSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from '../subscriptions/stats.ts';

/** A short name for a frame's file: package-relative for dependencies, repo-relative for ours. */
function fileOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const dependency = /node_modules\/(.*)$/.exec(url);
  if (dependency?.[1]) return dependency[1].replace('/lib/', '/');
  const ours = /\/(server|bench)\/(.*)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return url;
}

function summarize(profile: Profiler.Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  for (const [index, id] of (profile.samples ?? []).entries()) {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[index + 1] ?? 0) / 1000);
  }
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    total += ms;
    if (frame.functionName === '(idle)') idle += ms;
    const file = fileOf(frame.url, frame.functionName);
    files.set(file, (files.get(file) ?? 0) + ms);
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const busy = total - idle;
  const top = (entries: Map<string, number>, count: number) =>
    [...entries]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, ms]) => [name, ms.toFixed(0), `${((ms / busy) * 100).toFixed(1)}%`]);
  return { total, busy, files: top(files, 16), functions: top(functions, 20) };
}

/** Runs `work` under the profiler and prints the busy time's split by file and by function. */
export async function profiled<T>(label: string, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const file = join(tmpdir(), `amphi-relay-bench-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const { total, busy, files, functions } = summarize(profile);
    console.log(
      `\n  profile of ${label}: ${(total / 1000).toFixed(1)} s sampled, ` +
        `${(busy / 1000).toFixed(1)} s busy (shares below are of busy time), ${file}`,
    );
    console.log(table(['self time by file', 'ms', 'share'], files));
    console.log(table(['self time by function', 'ms', 'share'], functions));
  }
}
