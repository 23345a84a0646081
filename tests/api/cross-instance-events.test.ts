import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { type AppConfig, defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { channelOf } from '../../server/pubsub.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { freshDatabase } from '../helpers/test-database.ts';

const redisUrl = process.env['TEST_REDIS_URL'];
// Two instances need one database both can reach: the PostgreSQL server.
const sharedDatabase = process.env['AMPHI_TEST_DATABASE'] === 'postgres';

const SPACE_EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      ... on ParticipantJoined { participant { user { handle } } }
      ... on SpaceStateChanged { state }
    }
  }
`;

describe.skipIf(!redisUrl || !sharedDatabase)('Subscription.spaceEvents across instances', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let apps: Awaited<ReturnType<typeof buildApp>>[] = [];
  let urls: string[] = [];
  let redis: Redis;

  beforeAll(async () => {
    database = await freshDatabase();
    const config: AppConfig = {
      ...defaultConfig,
      port: 0,
      host: '127.0.0.1',
      graphiql: false,
      database: database.config,
      redisUrl,
      hosting: { minFollowers: 0, minFollowersTicketed: 0 },
    };
    apps = [await buildApp(config), await buildApp(config)];
    urls = await Promise.all(apps.map(async (app) => (await app.start()).url));
    redis = new Redis(redisUrl ?? '', { disableClientInfo: true });
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    redis?.disconnect();
    await database?.drop();
  });

  it('delivers an event published on one instance to a subscriber on the other', async () => {
    const [first, second] = apps as [(typeof apps)[0], (typeof apps)[0]];
    const host = await first.prisma.user.create({
      data: {
        id: crypto.randomUUID(),
        handle: `h${Date.now()}`,
        name: 'Host',
        email: `${Date.now()}@x.invalid`,
      },
    });
    const guest = await first.prisma.user.create({
      data: {
        id: crypto.randomUUID(),
        handle: `g${Date.now()}`,
        name: 'Guest',
        email: `g${Date.now()}@x.invalid`,
      },
    });
    const space = await first.services.spaces.start(host.id, {
      title: 'Two instances',
      topics: [],
    });

    const client = wsClient(urls[1] ?? '');
    const events = collect<{ spaceEvents: { __typename: string } }>(client, SPACE_EVENTS, {
      spaceId: toGlobalId('Space', space.id),
    });
    // The second instance's Redis subscription is in place once Redis counts a subscriber.
    const channel = channelOf('space-events', space.id);
    for (let i = 0; i < 200; i++) {
      const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      if (subscribers > 0 && second.bus.watchers('space-events', space.id) === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    await first.services.spaces.join(guest.id, space.id);
    await first.services.spaces.end(host.id, space.id);
    await events.until(() => events.completed);
    expect(events.results.map((result) => result.data?.spaceEvents)).toEqual([
      { __typename: 'ParticipantJoined', participant: { user: { handle: guest.handle } } },
      { __typename: 'SpaceStateChanged', state: 'ENDED' },
    ]);
    await client.dispose();
  });
});
