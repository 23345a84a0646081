import { writeFileSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from './stats.ts';

/** Where a frame's code lives: a package, an Amphi folder, Node itself, or V8. */
function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  if (url.startsWith('wasm://')) return 'wasm (PGlite, Prisma query compiler)';
  if (url.startsWith('node:')) return url.split('/')[0] ?? url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch?.[1]) return packageMatch[1];
  const projectMatch = /\/(server|prisma\/generated|bench)\/(.*)$/.exec(url);
  if (projectMatch)
    return projectMatch[1] === 'server' ? `server/${projectMatch[2]}` : `${projectMatch[1]}`;
  return url;
}

/** Self time per area and per function, in milliseconds, from a V8 CPU profile. */
function summarize(profile: Profiler.Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (const [index, id] of samples.entries()) {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[index + 1] ?? 0) / 1000);
  }
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    total += ms;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const name = `${frame.functionName || '(anonymous)'} ${area}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const top = (entries: Map<string, number>, count: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, ms]) => [name, `${ms.toFixed(0)}`, `${((ms / total) * 100).toFixed(1)}%`]);
  return { total, areas: top(areas, 14), functions: top(functions, 14) };
}

/** Runs `work` under the V8 sampling profiler and prints where this process spent its time. */
export async function profiled<T>(label: string, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const file = join(tmpdir(), `amphi-bench-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const { total, areas, functions } = summarize(profile);
    console.log(`\n  profile of ${label}: ${(total / 1000).toFixed(1)} s sampled, ${file}`);
    console.log(table(['self time by area', 'ms', 'share'], areas));
    console.log(table(['self time by function', 'ms', 'share'], functions));
  }
}
