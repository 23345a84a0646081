/**
 * Reads traces bench/join wrote with --trace: for each, the listener renderer's main-thread tasks
 * from the click on (start and length in ms after the click, with what ran inside them), then
 * over all of them the functions with the most self time in that window.
 *
 *   npx tsx bench/join/read-trace.ts <trace.json...> [--window=350] [--top=25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TraceEvent } from './listener-trace.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { window: { type: 'string', default: '350' }, top: { type: 'string', default: '25' } },
});
const windowMs = Number(values.window);

type CpuNode = {
  id: number;
  callFrame: { functionName: string; url?: string; lineNumber: number };
};
type ProfileData = {
  startTime?: number;
  cpuProfile?: { nodes?: CpuNode[]; samples?: number[] };
  timeDeltas?: number[];
};

const selfTime = new Map<string, number>();

/** What a child event of a task is, in a few words. */
function describe(event: TraceEvent): string {
  const data = (event.args?.['data'] ?? {}) as Record<string, unknown>;
  if (event.name === 'FunctionCall') {
    const url = String(data['url'] ?? '')
      .split('/')
      .pop();
    return `${String(data['functionName'] || '(anonymous)')}@${url}:${String(data['lineNumber'])}`;
  }
  if (event.name === 'EventDispatch') return `event ${String(data['type'])}`;
  return event.name;
}

for (const file of positionals) {
  const { traceEvents } = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
  const click = traceEvents.find(
    (e) => e.name === 'EventDispatch' && (e.args?.['data'] as { type?: string })?.type === 'click',
  );
  if (!click) {
    console.log(`${file}: no click`);
    continue;
  }
  const { pid, tid } = click;
  const t0 = click.ts;
  const end = t0 + windowMs * 1000;
  const at = (ts: number) => ((ts - t0) / 1000).toFixed(1);
  const main = traceEvents
    .filter(
      (e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= t0 - 5000 && e.ts < end,
    )
    .sort((a, b) => a.ts - b.ts);
  const tasks = main.filter((e) => e.name === 'RunTask');
  console.log(`\n${file}: main thread tasks ≥ 1 ms in the ${windowMs} ms after the click`);
  let busy = 0;
  for (const task of tasks) {
    const dur = (task.dur ?? 0) / 1000;
    busy += dur;
    if (dur < 1) continue;
    const inside = main
      .filter(
        (e) =>
          e !== task &&
          e.ts >= task.ts &&
          e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0) &&
          (e.dur ?? 0) >= 300,
      )
      .map((e) => `${describe(e)} ${((e.dur ?? 0) / 1000).toFixed(1)}`)
      .slice(0, 6);
    console.log(`  +${at(task.ts)} ${dur.toFixed(1)} ms: ${inside.join(' | ')}`);
  }
  console.log(`  busy ${busy.toFixed(0)} ms of ${windowMs}`);
  const marks = traceEvents.filter(
    (e) => e.cat.includes('user_timing') && e.ts >= t0 && e.ts < end && e.pid === pid,
  );
  for (const mark of marks) console.log(`  mark ${mark.name} +${at(mark.ts)}`);
  const webrtc = traceEvents.filter((e) => e.cat === 'webrtc' && e.ts >= t0 && e.ts < end);
  for (const event of webrtc.slice(0, 40)) {
    console.log(
      `  webrtc ${event.name} +${at(event.ts)}${event.dur ? ` ${(event.dur / 1000).toFixed(1)} ms` : ''} tid ${event.tid}`,
    );
  }

  // CPU samples: a Profile event starts the clock, ProfileChunks carry nodes, samples, deltas.
  const profile = traceEvents.find((e) => e.name === 'Profile' && e.pid === pid);
  let time = (profile?.args?.['data'] as ProfileData | undefined)?.startTime ?? 0;
  const nodes = new Map<number, CpuNode>();
  for (const chunk of traceEvents.filter((e) => e.name === 'ProfileChunk' && e.pid === pid)) {
    const data = chunk.args?.['data'] as ProfileData;
    for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (const [index, sample] of samples.entries()) {
      const delta = deltas[index] ?? 0;
      time += delta;
      const next = deltas[index + 1] ?? 0;
      if (time < t0 || time >= end) continue;
      const frame = nodes.get(sample)?.callFrame;
      if (!frame) continue;
      const name = `${frame.functionName || '(anonymous)'} ${(frame.url ?? '').split('/').pop()}:${frame.lineNumber}`;
      selfTime.set(name, (selfTime.get(name) ?? 0) + next / 1000);
    }
  }
}

console.log(`\nself time in the window, over ${positionals.length} traces (ms):`);
const top = [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
for (const [name, ms] of top) console.log(`  ${ms.toFixed(1).padStart(7)}  ${name}`);
