import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      sequence
      ... on ListenersChanged { joined { id role user { handle displayName } } }
      ... on ParticipantCountChanged { participantCount }
      ... on SpaceStateChanged { state }
    }
  }
`;

type Event = {
  __typename: string;
  sequence: number | null;
  joined?: { id: string; role: string; user: { handle: string; displayName: string } }[];
  participantCount?: number;
};
type Result = { data?: { spaceEvents: Event } };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 1, minFollowersTicketed: 1 } });
});
afterAll(() => t?.stop());

/** Users made in one statement: a crowd is about joining, not signing up. */
async function crowd(size: number) {
  const users = Array.from({ length: size }, (_, i) => {
    const id = randomUUID();
    return {
      id,
      handle: `crowd_${id.slice(0, 12)}`,
      name: `Listener ${i}`,
      email: `${id}@x.invalid`,
    };
  });
  await t.app.prisma.user.createMany({ data: users });
  return users;
}

async function watchersReach(spaceId: string, count: number) {
  for (let i = 0; i < 500 && t.app.bus.watchers('space-events', spaceId) < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(t.app.bus.watchers('space-events', spaceId)).toBe(count);
}

const ofKind = (results: Result[], kind: string) =>
  results.map((result) => result.data?.spaceEvents).filter((event) => event?.__typename === kind);

describe('Mutation.joinSpace in a crowd', () => {
  it('lets 200 people join at once, and every subscriber hears each join once, gathered and in sequence', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Crowd');
    const people = await crowd(200);
    const clients = Array.from({ length: 10 }, () => wsClient(t.url));
    const subscribers = clients.map((client) =>
      collect<Result['data']>(client, EVENTS, { spaceId: spaceGlobalId }),
    );
    await watchersReach(space.id, subscribers.length);

    const outcomes = await Promise.allSettled(
      people.map((person) => t.app.services.spaces.join(person.id, space.id)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(
      await t.app.prisma.participant.count({ where: { spaceId: space.id, leftAt: null } }),
    ).toBe(201);

    const everyone = new Set(people.map((person) => person.handle));
    for (const events of subscribers) {
      const joinedOf = (results: Result[]) =>
        ofKind(results, 'ListenersChanged').flatMap((event) => event?.joined ?? []);
      await events.until(
        (results) =>
          joinedOf(results as Result[]).length >= people.length &&
          ofKind(results as Result[], 'ParticipantCountChanged').at(-1)?.participantCount === 201,
      );
      const joined = joinedOf(events.results as Result[]);
      expect(new Set(joined.map((participant) => participant.user.handle))).toEqual(everyone);
      expect(joined).toHaveLength(people.length);
      expect(joined.every((participant) => participant.role === 'LISTENER')).toBe(true);
      // Gathered: a handful of events, numbered 1, 2, 3… with no holes.
      const gathered = ofKind(events.results as Result[], 'ListenersChanged');
      expect(gathered.length).toBeLessThan(people.length / 4);
      const sequences = gathered.map((event) => event?.sequence);
      expect(sequences).toEqual(Array.from({ length: gathered.length }, (_, i) => i + 1));
      // Coalesced: a count now and then, not one per join.
      const counts = ofKind(events.results as Result[], 'ParticipantCountChanged');
      expect(counts.length).toBeLessThan(people.length / 4);
      expect(counts.every((event) => event?.sequence === null)).toBe(true);
    }
    for (const client of clients) await client.dispose();
  });

  it('makes simultaneous joins by one person one participant, told once', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Twice');
    const [person] = await crowd(1);
    const client = wsClient(t.url);
    const events = collect<Result['data']>(client, EVENTS, { spaceId: spaceGlobalId });
    await watchersReach(space.id, 1);

    const places = await Promise.all(
      Array.from({ length: 8 }, () => t.app.services.spaces.join(person!.id, space.id)),
    );
    expect(new Set(places.map((place) => place.id)).size).toBe(1);
    await t.app.services.spaces.join(person!.id, space.id);
    await t.app.services.spaces.end(host.id, space.id);

    await events.until(() => events.completed);
    const kinds = (events.results as Result[])
      .map((result) => result.data?.spaceEvents)
      .filter((event) => event?.sequence !== null)
      .map((event) => [event?.__typename, event?.sequence]);
    expect(kinds).toEqual([
      ['ListenersChanged', 1],
      ['SpaceStateChanged', 2],
    ]);
    expect(await t.app.prisma.participant.count({ where: { spaceId: space.id } })).toBe(2);
    await client.dispose();
  });

  it('lets someone who left come back as a listener, heard as a new join', async () => {
    const { space } = await startSpace(t, 'Back again');
    const [person] = await crowd(1);
    const first = await t.app.services.spaces.join(person!.id, space.id);
    await t.app.services.spaces.leave(person!.id, space.id);
    const again = await t.app.services.spaces.join(person!.id, space.id);
    expect(again).toMatchObject({ id: first.id, role: 'LISTENER', leftAt: null, muted: true });
  });
});
