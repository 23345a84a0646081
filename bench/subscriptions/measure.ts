import { performance } from 'node:perf_hooks';
import { now } from './protocol.ts';
import { ascending, latencies, percentile } from './stats.ts';
import type { SubscriberProcess } from './subscriber-process.ts';
import type { Target } from './target.ts';

/** How long each step of a measurement may take; the figures come from what fits. */
export type Budget = {
  /** Single events, each published once the previous one reached everyone. */
  maxRounds: number;
  roundsMs: number;
  /** Events published back to back for the throughput figure. */
  maxBurst: number;
  burstMs: number;
};

export type Measurement = {
  target: string;
  subscribers: number;
  rounds: number;
  /** Latency over every receipt of the single events. */
  p50: number;
  p99: number;
  /** Latency until the last subscriber had the event, over the single events. */
  lastP50: number;
  lastP99: number;
  burst: number;
  eventsPerSecond: number;
  /**
   * The burst's rate split: deliveries of its first event (which finds every subscriber idle),
   * and of the rest, from the first receipt of a later event to the last receipt.
   */
  firstEventPerSecond: number;
  laterEventsPerSecond: number;
  /** Share of the burst's deliveries made within its time window (1: all of them). */
  delivered: number;
  /** Share of the burst this (server) process's event loop was busy. */
  busy: number;
  /** Database statements run outside transactions per subscriber and event, in the burst. */
  statementsPerDelivery: number;
  missing: number;
  unexpected: number;
  firstUnexpected: string | undefined;
  /** A message as received, for the raw broadcaster to send. */
  sample: string | undefined;
};

const settleTimeoutMs = 120_000;

async function until(condition: () => boolean, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resident and JS (heap + external) memory after full collections, with pauses between them:
 * V8 hands freed pages back to the system a little after a collection, not during it.
 */
export async function memory() {
  for (let pass = 0; pass < 3; pass++) {
    globalThis.gc?.();
    await sleep(100);
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss, js: usage.heapUsed + usage.external };
}

/** Waits (up to 30 s) until this process's event loop is mostly idle: leftover work is done. */
export async function settle() {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const start = performance.eventLoopUtilization();
    await sleep(250);
    if (performance.eventLoopUtilization(start).utilization < 0.1) return;
  }
}

/** Opens sockets until the target has `total` subscribers registered; resolves with the time. */
export async function connectUpTo(target: Target, clients: SubscriberProcess, total: number) {
  const started = now();
  const adding = total - target.subscribers();
  const connected = await clients.connect(target.url, adding, target.mode);
  if (connected.failed > 0) {
    throw new Error(`${connected.failed} ${target.name} sockets failed: ${connected.firstError}`);
  }
  await until(
    () => target.subscribers() >= total,
    settleTimeoutMs,
    () => `${total} ${target.name} subscribers (have ${target.subscribers()})`,
  );
  return now() - started;
}

export async function disconnectAll(target: Target, clients: SubscriberProcess) {
  await clients.close();
  await until(
    () => target.subscribers() === 0,
    settleTimeoutMs,
    () => `${target.name} to close`,
  );
}

/** One event to everyone, unmeasured, so the first measured one does not pay for compilation. */
export async function warmUp(target: Target, clients: SubscriberProcess) {
  const { received } = await clients.expect(1, settleTimeoutMs);
  await target.publish(1);
  await received;
}

/**
 * Times single events and then a burst on the subscribers connected now. A 2-event probe sizes
 * the burst to fill about `burstMs`; when even the probe does not finish in `burstMs`, it is the
 * burst, and the rate is that of the deliveries made in time (`delivered` < 1).
 */
export async function measure(
  target: Target,
  clients: SubscriberProcess,
  budget: Budget,
  clockOffset: number,
): Promise<Measurement> {
  let unexpected = 0;
  let firstUnexpected: string | undefined;
  let sample: string | undefined;
  let missing = 0;
  async function publish(events: number, windowMs: number) {
    const { received } = await clients.expect(events, windowMs);
    const publishedAt = await target.publish(events);
    const receipts = await received;
    unexpected += receipts.unexpected;
    firstUnexpected ??= receipts.firstUnexpected;
    sample ??= receipts.sample;
    const result = latencies(receipts.times, publishedAt, clockOffset);
    if (!receipts.timedOut) missing += result.missing;
    const first = publishedAt[0] ?? Number.NaN;
    return {
      ...result,
      publishedAt,
      seconds: (result.lastReceipt - first) / 1000,
      share: result.delivered / (result.delivered + result.missing),
    };
  }
  async function burst(events: number, windowMs: number) {
    const statementsBefore = target.statements?.() ?? 0;
    const loopBefore = performance.eventLoopUtilization();
    const result = await publish(events, windowMs);
    const loop = performance.eventLoopUtilization(loopBefore);
    const statements = (target.statements?.() ?? 0) - statementsBefore;
    const firstCount = result.counts[0] ?? 0;
    const firstSeconds = ((result.lastAt[0] ?? 0) - (result.publishedAt[0] ?? 0)) / 1000;
    const laterStart = Math.min(...result.firstAt.slice(1));
    return {
      events,
      eventsPerSecond: result.delivered / result.seconds,
      firstEventPerSecond: firstCount / firstSeconds,
      laterEventsPerSecond:
        (result.delivered - firstCount) / ((result.lastReceipt - laterStart) / 1000),
      delivered: result.share,
      busy: loop.utilization,
      statementsPerDelivery: statements / Math.max(1, result.delivered),
      perEventMs: (result.seconds * 1000) / events,
    };
  }

  const all: number[] = [];
  const last: number[] = [];
  const roundsStart = performance.now();
  let rounds = 0;
  while (
    rounds < budget.maxRounds &&
    (rounds === 0 || performance.now() - roundsStart < budget.roundsMs)
  ) {
    const result = await publish(1, settleTimeoutMs);
    all.push(...result.all);
    last.push(...result.last);
    rounds += 1;
  }

  let throughput = await burst(2, budget.burstMs);
  const size = Math.min(budget.maxBurst, Math.floor(budget.burstMs / throughput.perEventMs));
  if (throughput.delivered === 1 && size > 2) {
    throughput = await burst(size, 3 * budget.burstMs);
  }

  const sortedAll = ascending(all);
  const sortedLast = ascending(last);
  return {
    target: target.name,
    subscribers: target.subscribers(),
    rounds,
    p50: percentile(sortedAll, 50),
    p99: percentile(sortedAll, 99),
    lastP50: percentile(sortedLast, 50),
    lastP99: percentile(sortedLast, 99),
    burst: throughput.events,
    eventsPerSecond: throughput.eventsPerSecond,
    firstEventPerSecond: throughput.firstEventPerSecond,
    laterEventsPerSecond: throughput.laterEventsPerSecond,
    delivered: throughput.delivered,
    busy: throughput.busy,
    statementsPerDelivery: throughput.statementsPerDelivery,
    missing,
    unexpected,
    firstUnexpected,
    sample,
  };
}
