/**
 * One crowd on one running Amphi: N subscribers on the space's events, then M listeners join
 * over the window; the joins' latency and outcomes, the events' lag at the subscribers, and what
 * the server's process spent meanwhile (from /proc).
 */
import { print } from 'graphql';
import { SpaceEventsSubscription } from '../../web/src/spaces/room/space.queries.ts';
import { type Cost, rssBytes, watchCost } from '../hostile/proc-stats.ts';
import { ascending, percentile } from '../subscriptions/stats.ts';
import { JOINED, type Join, joinCrowd } from './joins.ts';
import type { Lags } from './protocol.ts';
import type { Crowd } from './seed.ts';
import type { Subscribers } from './subscriber-client.ts';

/** The room page's own subscription (web/src/spaces/room/space.queries.ts), as it sends it. */
export const spaceEventsQuery = print(SpaceEventsSubscription);

export type CrowdPlan = {
  subscribers: number;
  windowMs: number;
  joinTimeoutMs: number;
  /** How long after the last join answer the events may still come. */
  drainMs: number;
};

export type CrowdResult = {
  joins: Join[];
  joined: number;
  outcomes: Record<string, number>;
  joinP50: number;
  joinP95: number;
  joinP99: number;
  /** From the join's answer, and from its sending. */
  lag: Lags;
  lagFromSend: Lags;
  drainTimedOut: boolean;
  unexpected: number;
  firstUnexpected: string | undefined;
  closedSockets: number;
  /** Server RSS with nobody connected, with the subscribers in, and its peak from then on. */
  rssIdle: number;
  rssSubscribed: number;
  cost: Cost;
  sample: string | undefined;
  subscribersConnected: number;
  /** Sockets subscribed, those that never could (after retries), attempts retried. */
  connection: {
    connected: number;
    failed: number;
    retried: number;
    firstError: string | undefined;
  };
  connectSeconds: number;
};

export async function runCrowd(
  server: { pid: number; baseUrl: string },
  crowd: Crowd,
  subscribers: Subscribers,
  plan: CrowdPlan,
): Promise<CrowdResult> {
  const rssIdle = rssBytes(server.pid);
  const connectStart = performance.now();
  const connected = await subscribers.connect(
    `${server.baseUrl.replace('http', 'ws')}/graphql`,
    plan.subscribers,
    {
      kind: 'graphql-ws',
      query: spaceEventsQuery,
      variables: { id: crowd.spaceId },
    },
  );
  const connectSeconds = (performance.now() - connectStart) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const rssSubscribed = rssBytes(server.pid);
  const watch = watchCost(server.pid, 100);
  await subscribers.record();
  const joins = await joinCrowd(
    server.baseUrl,
    crowd.spaceId,
    crowd.listeners,
    plan.windowMs,
    plan.joinTimeoutMs,
  );
  const succeeded = joins.filter((join) => join.outcome === JOINED);
  const waited = await subscribers.wait(
    succeeded.map((join) => join.handle),
    plan.drainMs,
  );
  const cost = watch.stop();
  const reference = (pick: (join: Join) => number) =>
    Object.fromEntries(succeeded.map((join) => [join.handle, pick(join)]));
  const lag = await subscribers.lags(reference((join) => join.answeredAt));
  const lagFromSend = await subscribers.lags(reference((join) => join.sentAt));
  await subscribers.close();

  const outcomes: Record<string, number> = {};
  for (const join of joins) outcomes[join.outcome] = (outcomes[join.outcome] ?? 0) + 1;
  const latencies = ascending(joins.map((join) => join.answeredAt - join.sentAt));
  return {
    joins,
    joined: succeeded.length,
    outcomes,
    joinP50: percentile(latencies, 50),
    joinP95: percentile(latencies, 95),
    joinP99: percentile(latencies, 99),
    lag,
    lagFromSend,
    drainTimedOut: waited.timedOut,
    unexpected: waited.unexpected,
    firstUnexpected: waited.firstUnexpected,
    closedSockets: waited.closed,
    rssIdle,
    rssSubscribed,
    cost,
    sample: waited.sample,
    subscribersConnected: plan.subscribers,
    connection: connected,
    connectSeconds,
  };
}
