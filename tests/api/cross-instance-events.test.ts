import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { channelOf } from '../../server/pubsub.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { canRunTwoInstances, startTwoInstances } from '../helpers/test-instances.ts';

const SPACE_EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      ... on ListenersChanged { joined { user { handle } } }
      ... on SpaceStateChanged { state }
    }
  }
`;

describe.skipIf(!canRunTwoInstances)('Subscription.spaceEvents across instances', () => {
  let instances: Awaited<ReturnType<typeof startTwoInstances>>;

  beforeAll(async () => {
    instances = await startTwoInstances();
  });

  afterAll(() => instances?.stop());

  it('delivers an event published on one instance to a subscriber on the other', async () => {
    const [first, second] = instances.apps;
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

    const client = wsClient(instances.urls[1] ?? '');
    const events = collect<{ spaceEvents: { __typename: string } }>(client, SPACE_EVENTS, {
      spaceId: toGlobalId('Space', space.id),
    });
    // The second instance's Redis subscription is in place once Redis counts a subscriber.
    const channel = channelOf('space-events', space.id);
    for (let i = 0; i < 200; i++) {
      const [, subscribers] = (await instances.redis.pubsub('NUMSUB', channel)) as [string, number];
      if (subscribers > 0 && second.bus.watchers('space-events', space.id) === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    await first.services.spaces.join(guest.id, space.id);
    await first.services.spaces.end(host.id, space.id);
    await events.until(() => events.completed);
    const roomEvents = events.results
      .map((result) => result.data?.spaceEvents)
      .filter((event) => event?.__typename !== 'ParticipantCountChanged');
    expect(roomEvents).toEqual([
      { __typename: 'ListenersChanged', joined: [{ user: { handle: guest.handle } }] },
      { __typename: 'SpaceStateChanged', state: 'ENDED' },
    ]);
    await client.dispose();
  });

  it("numbers a space's events from one counter, whichever instance made them", async () => {
    const [first, second] = instances.apps;
    const makeUser = (name: string) => {
      const id = crypto.randomUUID();
      return first.prisma.user.create({
        data: { id, handle: `${name}${id.slice(0, 8)}`, name, email: `${id}@x.invalid` },
      });
    };
    const host = await makeUser('host');
    const guest = await makeUser('guest');
    const space = await first.services.spaces.start(host.id, { title: 'One count', topics: [] });
    const client = wsClient(instances.urls[0] ?? '');
    const events = collect<{ spaceEvents: { __typename: string; sequence: number | null } }>(
      client,
      'subscription ($spaceId: ID!) { spaceEvents(spaceId: $spaceId) { __typename sequence } }',
      { spaceId: toGlobalId('Space', space.id) },
    );
    const channel = channelOf('space-events', space.id);
    for (let i = 0; i < 200; i++) {
      const [, subscribers] = (await instances.redis.pubsub('NUMSUB', channel)) as [string, number];
      if (subscribers > 0 && first.bus.watchers('space-events', space.id) === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    await first.services.spaces.join(guest.id, space.id);
    await second.services.stage.raiseHand(guest.id, space.id);
    await first.services.spaces.end(host.id, space.id);
    await events.until(() => events.completed);
    const numbered = events.results
      .map((result) => result.data?.spaceEvents)
      .filter((event) => event?.sequence !== null)
      .map((event) => [event?.__typename, event?.sequence]);
    expect(numbered).toEqual([
      ['ListenersChanged', 1],
      ['HandRaised', 2],
      ['SpaceStateChanged', 3],
    ]);
    await client.dispose();
  });
});
