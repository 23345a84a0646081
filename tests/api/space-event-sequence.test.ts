import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

type EventResult = { spaceEvents: Record<string, unknown> & { __typename: string } };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    hosting: { minFollowers: 1, minFollowersTicketed: 1 },
    spaces: { hostGraceMs: 60_000, reactionBatchMs: 100, sweepIntervalMs: 60_000 },
  });
});
afterAll(() => t?.stop());

/** Waits until this instance has `count` live subscriptions on the space. */
async function watchersReach(spaceId: string, count: number) {
  for (let i = 0; i < 200 && t.app.bus.watchers('space-events', spaceId) !== count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(t.app.bus.watchers('space-events', spaceId)).toBe(count);
}

/** What a test follows: counts come on their own schedule (see 'ParticipantCountChanged' tests). */
const withoutCounts = <T extends { data?: EventResult }>(results: T[]) =>
  results.filter((result) => result.data?.spaceEvents.__typename !== 'ParticipantCountChanged');

const payloads = (results: { data?: EventResult }[]) =>
  withoutCounts(results).map((result) => result.data?.spaceEvents);

describe('SpaceEvent.sequence', () => {
  const CHANGES = /* GraphQL */ `
    subscription ($spaceId: ID!) {
      spaceEvents(spaceId: $spaceId) {
        __typename
        sequence
        ... on ParticipantJoined { participant { role muted handRaised user { handle displayName } } }
        ... on HandRaised { participant { role handRaised } }
        ... on RoleChanged { participant { role muted handRaised } }
        ... on MuteChanged { participant { muted } }
        ... on ParticipantLeft { removed participant { present } }
        ... on ListenersChanged {
          joined { role muted handRaised user { handle displayName } }
          left { present user { handle } }
        }
        ... on ParticipantCountChanged { participantCount }
        ... on SpaceStateChanged { state }
      }
    }
  `;
  const ROOM = /* GraphQL */ `query ($id: ID!) { space(id: $id) { eventSequence participantCount } }`;

  it('numbers the changes 1, 2, 3 and carries how the participant stood after each', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Numbered');
    const listener = await t.createUser('numbered', {});
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, CHANGES, { spaceId: spaceGlobalId });
    await watchersReach(space.id, 1);
    const before = await t.anonymous(ROOM, { id: spaceGlobalId });
    expect(before.data?.['space']).toEqual({ eventSequence: 0, participantCount: 1 });

    const { services } = t.app;
    await services.spaces.join(listener.id, space.id);
    await services.stage.raiseHand(listener.id, space.id);
    await services.stage.inviteToSpeak(host.id, space.id, listener.id);
    await services.stage.setMuted(listener.id, space.id, false);
    await services.spaces.leave(listener.id, space.id);
    await events.until(
      (results) =>
        results.filter((result) => result.data?.spaceEvents.__typename === 'ListenersChanged')
          .length === 2,
    );
    const after = await t.anonymous(ROOM, { id: spaceGlobalId });
    expect(after.data?.['space']).toMatchObject({ eventSequence: 5 });
    await services.spaces.end(host.id, space.id);
    await events.until(() => events.completed);

    expect(payloads(events.results)).toEqual([
      {
        __typename: 'ListenersChanged',
        sequence: 1,
        joined: [
          {
            role: 'LISTENER',
            muted: true,
            handRaised: false,
            user: { handle: listener.handle, displayName: 'numbered' },
          },
        ],
        left: [],
      },
      {
        __typename: 'HandRaised',
        sequence: 2,
        participant: { role: 'LISTENER', handRaised: true },
      },
      {
        __typename: 'RoleChanged',
        sequence: 3,
        participant: { role: 'SPEAKER', muted: true, handRaised: false },
      },
      { __typename: 'MuteChanged', sequence: 4, participant: { muted: false } },
      {
        __typename: 'ListenersChanged',
        sequence: 5,
        joined: [],
        left: [{ present: false, user: { handle: listener.handle } }],
      },
      { __typename: 'SpaceStateChanged', sequence: 6, state: 'ENDED' },
    ]);
    await client.dispose();
  });

  it('sends the participant count, unnumbered, once people have come and gone', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Counted');
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, CHANGES, { spaceId: spaceGlobalId });
    await watchersReach(space.id, 1);
    const people = await Promise.all([t.createUser('c1'), t.createUser('c2'), t.createUser('c3')]);
    for (const person of people) await t.app.services.spaces.join(person.id, space.id);
    await t.app.services.spaces.leave(people[0]!.id, space.id);
    const counts = () =>
      events.results
        .map((result) => result.data?.spaceEvents)
        .filter((event) => event?.__typename === 'ParticipantCountChanged');
    await events.until(() => counts().at(-1)?.['participantCount'] === 3);
    expect(counts().every((event) => event?.['sequence'] === null)).toBe(true);
    expect(counts().length).toBeLessThan(4);
    await client.dispose();
  });

  it('gathers listeners coming and going into few events, each person once', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Gathered');
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, CHANGES, { spaceId: spaceGlobalId });
    await watchersReach(space.id, 1);
    const people = await Promise.all(['g1', 'g2', 'g3', 'g4'].map((name) => t.createUser(name)));
    const [first, second, third, fourth] = people as [
      (typeof people)[number],
      (typeof people)[number],
      (typeof people)[number],
      (typeof people)[number],
    ];
    await t.app.services.spaces.join(first.id, space.id);
    await Promise.all(
      [second, third, fourth].map((person) => t.app.services.spaces.join(person.id, space.id)),
    );
    await t.app.services.spaces.leave(second.id, space.id);
    const gathered = () =>
      payloads(events.results).filter((event) => event?.__typename === 'ListenersChanged');
    const handles = (list: unknown) =>
      (list as { user: { handle: string } }[]).map((p) => p.user.handle).sort();
    await events.until(() => gathered().length === 2);

    const [alone, rest] = gathered();
    expect(handles(alone?.['joined'])).toEqual([first.handle]);
    expect(handles(rest?.['joined'])).toEqual([third.handle, fourth.handle].sort());
    expect(handles(rest?.['left'])).toEqual([second.handle]);
    expect([alone?.['sequence'], rest?.['sequence']]).toEqual([1, 2]);
    await client.dispose();
  });
});
