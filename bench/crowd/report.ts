import type { Measurement } from '../subscriptions/measure.ts';
import { ms, table } from '../subscriptions/stats.ts';
import type { CrowdResult } from './crowd-step.ts';
import type { FloorResult } from './floor-step.ts';

/** The issue's bounds (#14). */
export const BOUNDS = {
  joinP95Ms: 1_000,
  lagP99Ms: 1_000,
  memoryGrowthBytes: 300 * 1024 * 1024,
  fanoutP99Ms: 250,
} as const;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const pct = (share: number) => `${(share * 100).toFixed(0)}%`;

export function memoryGrowth(result: CrowdResult) {
  return result.cost.peakRss - result.rssSubscribed;
}

/** Why a crowd step misses its bounds; empty when it keeps them all. */
export function crowdMisses(result: CrowdResult): string[] {
  const misses: string[] = [];
  if (result.connection.failed > 0) {
    misses.push(`${result.connection.failed} subscribers could not subscribe (5 tries each)`);
  }
  const failed = result.joins.length - result.joined;
  if (failed > 0) misses.push(`${failed} of ${result.joins.length} joins failed (bound 0)`);
  if (!(result.joinP95 < BOUNDS.joinP95Ms)) {
    misses.push(`join p95 ${ms(result.joinP95)} ms (bound < ${BOUNDS.joinP95Ms})`);
  }
  if (result.lag.missing > 0) {
    misses.push(`${result.lag.missing} event deliveries never came (bound: every one, lag < 1 s)`);
  }
  if (!(result.lag.p99 < BOUNDS.lagP99Ms)) {
    misses.push(`event lag p99 ${ms(result.lag.p99)} ms (bound < ${BOUNDS.lagP99Ms})`);
  }
  if (!(memoryGrowth(result) < BOUNDS.memoryGrowthBytes)) {
    misses.push(
      `memory grew ${mb(memoryGrowth(result))} (bound < ${mb(BOUNDS.memoryGrowthBytes)})`,
    );
  }
  return misses;
}

const lagCell = (lag: { p50: number; p99: number; max: number }) =>
  `${ms(lag.p50)} / ${ms(lag.p99)} / ${ms(lag.max)}`;

export function crowdTable(
  rows: { name: string; result: CrowdResult }[],
  floor: FloorResult | undefined,
): string {
  const body = rows.map(({ name, result }) => [
    name,
    `${result.joins.length - result.joined}`,
    `${ms(result.joinP50)} / ${ms(result.joinP95)} / ${ms(result.joinP99)}`,
    lagCell(result.lag),
    `${result.lag.missing}`,
    `${mb(result.rssSubscribed)} → ${mb(result.cost.peakRss)} (+${mb(memoryGrowth(result))})`,
    `${pct(result.cost.cpu)} (${pct(result.cost.mainThreadCpu)})`,
    pct(result.cost.mainThreadWaiting),
    crowdMisses(result).length === 0 ? 'PASS' : 'FAILED',
  ]);
  if (floor) {
    body.push([
      'raw ws floor',
      '-',
      '-',
      lagCell(floor.lag),
      `${floor.lag.missing}`,
      `peak ${mb(floor.cost.peakRss)}`,
      `${pct(floor.cost.cpu)} (${pct(floor.cost.mainThreadCpu)})`,
      pct(floor.cost.mainThreadWaiting),
      '',
    ]);
  }
  return table(
    [
      'database',
      'failed joins',
      'join p50 / p95 / p99 ms',
      'lag p50 / p99 / max ms',
      'never came',
      'server RSS (growth)',
      'server CPU (main)',
      'main waited',
      'verdict',
    ],
    body,
  );
}

export function outcomeLines(rows: { name: string; result: CrowdResult }[]): string[] {
  return rows.flatMap(({ name, result }) => [
    `  ${name}: joins answered ${Object.entries(result.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([outcome, count]) => `${outcome} ×${count}`)
      .join(', ')}; lag from sending the join p50 / p99 ${ms(result.lagFromSend.p50)} / ${ms(
      result.lagFromSend.p99,
    )} ms; ${result.connection.connected} of ${result.subscribersConnected} subscribers connected in ${result.connectSeconds.toFixed(1)} s${
      result.connection.retried > 0
        ? ` (${result.connection.retried} attempts retried; first error: ${result.connection.firstError})`
        : ''
    }${
      result.drainTimedOut ? '; events still missing at the drain deadline' : ''
    }${result.closedSockets > 0 ? `; ${result.closedSockets} sockets closed by the server` : ''}${
      result.unexpected > 0
        ? `; ${result.unexpected} other messages (first: ${result.firstUnexpected})`
        : ''
    }`,
  ]);
}

export function fanoutTable(amphi: Measurement, raw: Measurement): string {
  return table(
    [
      'subscribers',
      'amphi p50 / p99 ms',
      'last socket p50 / p99 ms',
      'raw ws p50 / p99 ms',
      'raw last p50 / p99 ms',
      'verdict',
    ],
    [
      [
        String(amphi.subscribers),
        `${ms(amphi.p50)} / ${ms(amphi.p99)}`,
        `${ms(amphi.lastP50)} / ${ms(amphi.lastP99)}`,
        `${ms(raw.p50)} / ${ms(raw.p99)}`,
        `${ms(raw.lastP50)} / ${ms(raw.lastP99)}`,
        amphi.p99 < BOUNDS.fanoutP99Ms && amphi.missing === 0 ? 'PASS' : 'FAILED',
      ],
    ],
  );
}
