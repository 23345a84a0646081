import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { collect, wsClient, wsRequest } from '../helpers/graphql-client.ts';
import { liveSpaceWithCast, startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const SPACE_EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      space { title }
      ... on ParticipantJoined { participant { user { handle } role } }
      ... on ParticipantLeft { participant { user { handle } } removed }
      ... on ListenersChanged { joined { user { handle } role } left { user { handle } } }
      ... on RoleChanged { participant { user { handle } } role previousRole }
      ... on HandRaised { participant { user { handle } } }
      ... on HandLowered { participant { user { handle } } }
      ... on SpeakerInvited { participant { user { handle } } }
      ... on CoHostInvited { participant { user { handle } } }
      ... on InvitationDeclined { participant { user { handle } } invitedAs }
      ... on MuteChanged { participant { user { handle } } muted }
      ... on ReactionsSent { reactions { emoji count participant { user { handle } } } }
      ... on SpaceStateChanged { state }
    }
  }
`;

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

const kinds = (results: { data?: EventResult }[]) =>
  withoutCounts(results).map((result) => result.data?.spaceEvents.__typename);

const payloads = (results: { data?: EventResult }[]) =>
  withoutCounts(results).map((result) => result.data?.spaceEvents);

describe('Subscription.spaceEvents', () => {
  it('delivers what happens in a space, in order, and completes when it ends', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Ordered');
    const listener = await t.createUser('listener');
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, SPACE_EVENTS, { spaceId: spaceGlobalId });
    await watchersReach(space.id, 1);

    const { services } = t.app;
    await services.spaces.join(listener.id, space.id);
    await services.stage.raiseHand(listener.id, space.id);
    await services.stage.inviteToSpeak(host.id, space.id, listener.id);
    await services.stage.setMuted(listener.id, space.id, false);
    await services.stage.muteSpeaker(host.id, space.id, listener.id);
    await services.stage.moveToListener(host.id, space.id, listener.id);
    await services.spaces.leave(listener.id, space.id);
    await services.spaces.end(host.id, space.id);

    await events.until(() => events.completed);
    const who = { user: { handle: listener.handle } };
    expect(payloads(events.results)).toEqual([
      {
        __typename: 'ListenersChanged',
        space: { title: 'Ordered' },
        joined: [{ ...who, role: 'LISTENER' }],
        left: [],
      },
      { __typename: 'HandRaised', space: { title: 'Ordered' }, participant: who },
      {
        __typename: 'RoleChanged',
        space: { title: 'Ordered' },
        participant: who,
        role: 'SPEAKER',
        previousRole: 'LISTENER',
      },
      { __typename: 'MuteChanged', space: { title: 'Ordered' }, participant: who, muted: false },
      { __typename: 'MuteChanged', space: { title: 'Ordered' }, participant: who, muted: true },
      {
        __typename: 'RoleChanged',
        space: { title: 'Ordered' },
        participant: who,
        role: 'LISTENER',
        previousRole: 'SPEAKER',
      },
      { __typename: 'ListenersChanged', space: { title: 'Ordered' }, joined: [], left: [who] },
      { __typename: 'SpaceStateChanged', space: { title: 'Ordered' }, state: 'ENDED' },
    ]);
    await client.dispose();
  });

  it('tells the space about a co-host invitation, its refusal, and an accepted one', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Consent');
    const [shy, keen] = [await t.createUser('shy'), await t.createUser('keen')];
    const { services } = t.app;
    for (const user of [shy, keen]) await services.spaces.join(user.id, space.id);
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, SPACE_EVENTS, { spaceId: spaceGlobalId });
    await watchersReach(space.id, 1);

    await services.stage.addCoHost(host.id, space.id, shy.id);
    await services.stage.declineInvitation(shy.id, space.id);
    await services.stage.addCoHost(host.id, space.id, keen.id);
    await services.stage.acceptCoHostInvitation(keen.id, space.id);
    await services.spaces.end(host.id, space.id);

    await events.until(() => events.completed);
    const about = (user: { handle: string }) => ({ user: { handle: user.handle } });
    // The two joins may still be on their way, gathered, when the watcher arrives.
    const stageEvents = payloads(events.results).filter(
      (event) => event?.__typename !== 'ListenersChanged',
    );
    expect(stageEvents).toEqual([
      {
        __typename: 'CoHostInvited',
        space: { title: 'Consent' },
        participant: about(shy),
      },
      {
        __typename: 'InvitationDeclined',
        space: { title: 'Consent' },
        participant: about(shy),
        invitedAs: 'COHOST',
      },
      {
        __typename: 'CoHostInvited',
        space: { title: 'Consent' },
        participant: about(keen),
      },
      {
        __typename: 'RoleChanged',
        space: { title: 'Consent' },
        participant: about(keen),
        role: 'COHOST',
        previousRole: 'LISTENER',
      },
      { __typename: 'SpaceStateChanged', space: { title: 'Consent' }, state: 'ENDED' },
    ]);
    await client.dispose();
  });

  it("delivers each space's events only to that space's subscribers", async () => {
    const first = await startSpace(t, 'First');
    const second = await startSpace(t, 'Second');
    const client = wsClient(t.url);
    const firstEvents = collect<EventResult>(client, SPACE_EVENTS, {
      spaceId: first.spaceGlobalId,
    });
    const secondEvents = collect<EventResult>(client, SPACE_EVENTS, {
      spaceId: second.spaceGlobalId,
    });
    await watchersReach(first.space.id, 1);
    await watchersReach(second.space.id, 1);

    const visitor = await t.createUser('visitor');
    await t.app.services.spaces.join(visitor.id, first.space.id);
    await t.app.services.spaces.end(second.host.id, second.space.id);
    await t.app.services.spaces.end(first.host.id, first.space.id);

    await firstEvents.until(() => firstEvents.completed);
    await secondEvents.until(() => secondEvents.completed);
    expect(kinds(firstEvents.results)).toEqual(['ListenersChanged', 'SpaceStateChanged']);
    expect(kinds(secondEvents.results)).toEqual(['SpaceStateChanged']);
    await client.dispose();
  });

  it('gathers a burst of reactions into one event with counts', async () => {
    const cast = await liveSpaceWithCast(t);
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, SPACE_EVENTS, { spaceId: cast.spaceGlobalId });
    await watchersReach(cast.spaceId, 1);
    for (let i = 0; i < 5; i++)
      await t.app.services.reactions.react(cast.listener.id, cast.spaceId, '👏');
    await t.app.services.reactions.react(cast.speaker.id, cast.spaceId, '🔥');
    await events.until((results) => kinds(results).includes('ReactionsSent'));
    const sent = events.results.filter(
      (result) => result.data?.spaceEvents.__typename === 'ReactionsSent',
    );
    expect(sent).toHaveLength(1);
    const reactions = sent[0]?.data?.spaceEvents['reactions'];
    expect(reactions).toEqual(
      expect.arrayContaining([
        { emoji: '👏', count: 5, participant: { user: { handle: cast.listener.handle } } },
        { emoji: '🔥', count: 1, participant: { user: { handle: cast.speaker.handle } } },
      ]),
    );
    expect(reactions).toHaveLength(2);
    await client.dispose();
  });

  it("answers each watcher's own questions, though everyone watches the same event", async () => {
    const cast = await liveSpaceWithCast(t);
    const query = /* GraphQL */ `
      subscription ($spaceId: ID!) {
        spaceEvents(spaceId: $spaceId) {
          __typename
          ... on ListenersChanged {
            joined { user { handle viewerIsFollowing } }
            space { viewerParticipant { user { handle } } }
          }
        }
      }
    `;
    await t.app.services.follows.follow(cast.speaker.id, cast.outsider.id);
    const asSpeaker = wsClient(t.url, cast.speaker.credentials);
    const asListener = wsClient(t.url, cast.listener.credentials);
    const asGuest = wsClient(t.url);
    const watchers = [asSpeaker, asListener, asGuest].map((client) =>
      collect<EventResult>(client, query, { spaceId: cast.spaceGlobalId }),
    );
    await watchersReach(cast.spaceId, 3);

    await t.app.services.spaces.join(cast.outsider.id, cast.spaceId);

    const joined = await Promise.all(
      watchers.map(async (events) => {
        await events.until(() => kinds(events.results).includes('ListenersChanged'));
        return payloads(events.results).find((event) => event?.__typename === 'ListenersChanged');
      }),
    );
    const as = (follows: boolean, handle: string | null) => ({
      __typename: 'ListenersChanged',
      joined: [{ user: { handle: cast.outsider.handle, viewerIsFollowing: follows } }],
      space: { viewerParticipant: handle ? { user: { handle } } : null },
    });
    expect(joined).toEqual([
      as(true, cast.speaker.handle),
      as(false, cast.listener.handle),
      as(false, null),
    ]);
    await Promise.all([asSpeaker, asListener, asGuest].map((client) => client.dispose()));
  });

  it('stops listening when the client unsubscribes', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, SPACE_EVENTS, { spaceId: spaceGlobalId });
    await watchersReach(space.id, 1);
    events.unsubscribe();
    await watchersReach(space.id, 0);
    await client.dispose();
  });

  it('refuses a space that does not exist with a NotFound code', async () => {
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, SPACE_EVENTS, {
      spaceId: toGlobalId('Space', '00000000-0000-0000-0000-000000000000'),
    });
    await events.until(() => events.completed);
    expect(events.results[0]?.errors?.[0]?.extensions?.['code']).toBe('NotFound');
    await client.dispose();
  });

  it('delivers over server-sent events too', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Over SSE');
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SPACE_EVENTS, variables: { spaceId: spaceGlobalId } }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    await watchersReach(space.id, 1);
    await t.app.services.spaces.end(host.id, space.id);
    const body = await response.text();
    expect(body).toContain('"__typename":"SpaceStateChanged"');
    expect(body).toContain('"state":"ENDED"');
  });
});

describe('graphql-ws sessions', () => {
  const JOIN = 'mutation ($spaceId: ID!) { joinSpace(spaceId: $spaceId) { __typename } }';

  it('lets an unauthenticated socket watch a public space but not change it', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const client = wsClient(t.url);
    const events = collect<EventResult>(client, SPACE_EVENTS, { spaceId: spaceGlobalId });
    await watchersReach(space.id, 1);
    const joined = await wsRequest(client, JOIN, { spaceId: spaceGlobalId });
    expect(joined.data?.['joinSpace']).toEqual({ __typename: 'NotAuthenticated' });
    await t.app.services.spaces.end(host.id, space.id);
    await events.until(() => events.completed);
    expect(kinds(events.results)).toEqual(['SpaceStateChanged']);
    await client.dispose();
  });

  it('acts as the user whose API token is in the connection parameters', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const listener = await t.createUser('socket');
    const client = wsClient(t.url, listener.credentials);
    const joined = await wsRequest(client, JOIN, { spaceId: spaceGlobalId });
    expect(joined.data?.['joinSpace']).toEqual({ __typename: 'MutationJoinSpaceSuccess' });
    expect(
      await t.app.prisma.participant.count({ where: { spaceId: space.id, userId: listener.id } }),
    ).toBe(1);
    await client.dispose();
  });
});
