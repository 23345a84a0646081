import { ascending, percentile, table } from '../subscriptions/stats.ts';
import type { PhaseResult } from './phase.ts';
import type { ProbeResult, Tally } from './protocol.ts';

/** The ordinary queries the bound applies to; the other probe targets are context. */
export const judgedTargets = ['home', 'viewer'] as const;
export const BOUND = 2;

export type Figures = { p50: number; p95: number; p99: number; samples: number; failed: number };

/** Percentiles over every request sent; one that failed or timed out counts as infinitely slow. */
export function figures(result: ProbeResult | undefined): Figures {
  const latencies = result?.latencies ?? [];
  const failed = Object.values(result?.failures ?? {}).reduce((sum, n) => sum + n, 0);
  const sorted = ascending([...latencies, ...new Array<number>(failed).fill(Infinity)]);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    samples: sorted.length,
    failed,
  };
}

const byName = (phase: PhaseResult, name: string) =>
  figures(phase.probed.find((result) => result.name === name));

const ms = (value: number) =>
  value === Infinity
    ? '∞'
    : Number.isFinite(value)
      ? value < 10
        ? value.toFixed(1)
        : value.toFixed(0)
      : '-';
const ratio = (value: number, idle: number) => {
  const r = value / idle;
  return r === Infinity ? '∞' : Number.isFinite(r) ? `${r.toFixed(1)}×` : '-';
};
const percent = (cores: number) => (Number.isFinite(cores) ? `${(cores * 100).toFixed(0)}%` : '-');
const mib = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(0) : '-');

export type Verdict = { pass: boolean; why: string };

/** Within the bound: both ordinary queries' p99 at most 2× idle, and the server still up. */
export function verdict(phase: PhaseResult, idle: PhaseResult): Verdict {
  if (phase.exited) return { pass: false, why: `the server died (${phase.exited.how})` };
  const idleFailed = judgedTargets.reduce((sum, name) => sum + byName(idle, name).failed, 0);
  if (judgedTargets.some((name) => !Number.isFinite(byName(idle, name).p99))) {
    return {
      pass: false,
      why:
        `no idle baseline: ${idleFailed} probe queries failed with no attack, while the server's` +
        ` main thread waited for a CPU ${percent(idle.cost.mainThreadWaiting)} of the time` +
        ' (a busy host: rerun on a quieter one, or with a lower --rate)',
    };
  }
  const over = judgedTargets
    .map((name) => ({ name, now: byName(phase, name), idle: byName(idle, name).p99 }))
    .filter(({ now, idle: idleP99 }) => !(now.p99 <= BOUND * idleP99));
  if (over.length === 0) return { pass: true, why: `p99 within ${BOUND}× idle` };
  const describe = ({ name, now, idle: idleP99 }: (typeof over)[number]) => {
    const unanswered = now.failed > 0 ? `, ${now.failed} of ${now.samples} unanswered` : '';
    return `${name} p99 ${ms(now.p99)} ms against ${ms(idleP99)} ms idle (${ratio(now.p99, idleP99)}${unanswered})`;
  };
  return { pass: false, why: over.map(describe).join('; ') };
}

export function phaseTable(phases: PhaseResult[], idle: PhaseResult): string {
  const rows = phases.map((phase) => {
    const cells = [phase.name];
    for (const name of judgedTargets) {
      const f = byName(phase, name);
      cells.push(
        `${ms(f.p50)} / ${ms(f.p95)} / ${ms(f.p99)}`,
        ratio(f.p99, byName(idle, name).p99),
      );
    }
    for (const name of ['health', 'floor']) {
      const f = byName(phase, name);
      cells.push(`${ms(f.p99)} (${ratio(f.p99, byName(idle, name).p99)})`);
    }
    const failed = judgedTargets.reduce((sum, name) => sum + byName(phase, name).failed, 0);
    const sent = judgedTargets.reduce((sum, name) => sum + byName(phase, name).samples, 0);
    cells.push(`${failed}/${sent}`);
    cells.push(`${percent(phase.cost.cpu)} (${percent(phase.cost.mainThreadCpu)})`);
    cells.push(percent(phase.cost.mainThreadWaiting));
    cells.push(mib(phase.cost.peakRss));
    cells.push(phase === idle ? '' : verdict(phase, idle).pass ? 'PASS' : 'FAILED');
    return cells;
  });
  return table(
    [
      'phase',
      'home p50/p95/p99 ms',
      'p99/idle',
      'viewer p50/p95/p99 ms',
      'p99/idle',
      '/health p99',
      'floor p99',
      'failed',
      'server CPU (main)',
      'main waited',
      'peak RSS MiB',
      `≤${BOUND}×`,
    ],
    rows,
  );
}

const tallyLine = (tally: Tally) =>
  Object.entries(tally)
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${label} ×${n}`)
    .join(', ') || 'none completed';

/** How the attack requests of a phase were answered. */
export function answerLines(phase: PhaseResult): string[] {
  const lines = phase.answers.map(({ kind, answers, bytesSent, cut }) => {
    const total = Object.values(answers).reduce((sum, n) => sum + n, 0);
    const volume = bytesSent > 1e8 ? `, ${(bytesSent / 1e9).toFixed(1)} GB sent` : '';
    const pending = cut > 0 ? `, ${cut} still unanswered at the end` : '';
    return `    ${kind}: ${total} done (${(total / phase.seconds).toFixed(1)}/s${volume}${pending}): ${tallyLine(answers)}`;
  });
  const probeFailures = phase.probed
    .filter((result) => Object.keys(result.failures).length > 0)
    .map((result) => `${result.name}: ${tallyLine(result.failures)}`);
  if (probeFailures.length > 0) lines.push(`    probe failures: ${probeFailures.join('; ')}`);
  return lines;
}
