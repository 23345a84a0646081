import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { buildApp } from '../../server/app.ts';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { now } from './protocol.ts';
import type { Target } from './target.ts';

export const spaceEventsQuery = `subscription ($spaceId: ID!) {
  spaceEvents(spaceId: $spaceId) {
    __typename
    at
    ... on HandRaised { participant { role user { handle } } }
  }
}`;

/**
 * Statements PGlite runs outside transactions: the reads subscribers make to resolve an event.
 * Counted by wrapping PGlite's `query`, which the Prisma adapter calls for every statement.
 */
function countStatements() {
  const counter = { statements: 0 };
  const original = PGlite.prototype.query;
  PGlite.prototype.query = function (this: PGlite, ...args: Parameters<PGlite['query']>) {
    counter.statements += 1;
    return original.apply(this, args);
  } as PGlite['query'];
  return counter;
}

/**
 * Amphi in this process (in-memory PGlite, port 0) with one live public space, and a pool of
 * listeners in it who each publish one HandRaised by raising their hand through the stage
 * service (one event about one person, as every stage change is; listeners' joins are gathered).
 */
export async function startAmphiTarget(joinerCount: number): Promise<Target> {
  const counter = countStatements();
  const app = await buildApp({
    ...defaultConfig,
    port: 0,
    host: '127.0.0.1',
    database: { kind: 'pglite', dataDir: undefined },
    graphiql: false,
    limits: { ...defaultConfig.limits, mutationsPerMinute: 1e9 },
    // Every subscriber connects from this machine's one loopback address.
    requestRate: null,
    // The joiners raise hands without a connection of their own; with the usual timeout they
    // would have left before the last of 10,000 subscribers connected.
    presence: { timeoutMs: 60 * 60_000 },
  });
  const { url } = await app.start();
  const hostId = randomUUID();
  await app.prisma.user.create({
    data: { id: hostId, handle: 'bench_host', name: 'Host', email: 'host@bench.invalid' },
  });
  const people = (count: number, prefix: string) =>
    Array.from({ length: count }, (_, index) => {
      const id = randomUUID();
      return {
        id,
        handle: `${prefix}_${String(index).padStart(5, '0')}`,
        name: prefix,
        email: `${id}@bench.invalid`,
      };
    });
  const fans = people(app.config.hosting.minFollowers, 'fan');
  const joiners = people(joinerCount, 'joiner');
  await app.prisma.user.createMany({ data: [...fans, ...joiners] });
  await app.prisma.follow.createMany({
    data: fans.map((fan) => ({ followerId: fan.id, followeeId: hostId })),
  });
  const space = await app.services.spaces.start(hostId, { title: 'Bench', topics: [] });
  for (const joiner of joiners) await app.services.spaces.join(joiner.id, space.id);

  // The services look `publish` up on the bus at each call, so wrapping it here times every
  // event as it is handed to the subscribers, after its transaction committed.
  const published: number[] = [];
  const bus = app.bus;
  const publish = bus.publish;
  bus.publish = (topic, key, payload) => {
    const raised = 'kind' in payload && payload.kind === 'HandRaised';
    if (topic === 'space-events' && key === space.id && raised) published.push(now());
    publish(topic, key, payload);
  };

  let nextJoiner = 0;
  return {
    name: 'amphi',
    url: `${url.replace('http', 'ws')}/graphql`,
    mode: {
      kind: 'graphql-ws',
      query: spaceEventsQuery,
      variables: { spaceId: toGlobalId('Space', space.id) },
    },
    statements: () => counter.statements,
    subscribers: () => bus.watchers('space-events', space.id),
    /** Raises `count` fresh hands at once; the times are those of the bus publishing each event. */
    async publish(count: number) {
      if (nextJoiner + count > joiners.length) throw new Error('the bench ran out of joiners');
      published.length = 0;
      const batch = joiners.slice(nextJoiner, nextJoiner + count);
      nextJoiner += count;
      await Promise.all(batch.map((joiner) => app.services.stage.raiseHand(joiner.id, space.id)));
      return [...published];
    },
    stop: () => app.stop(),
  };
}
