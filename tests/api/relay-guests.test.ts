import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { sdp, startSignallingApp } from '../helpers/mesh-signal-operations.ts';
import { liveSpaceWithCast, startSpace } from '../helpers/space-fixtures.ts';
import type { TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startSignallingApp();
});
afterAll(() => t?.stop());

describe('Mutation.openRelaySession without an account', () => {
  const OPEN = /* GraphQL */ `
    mutation ($spaceId: ID!) {
      openRelaySession(spaceId: $spaceId) {
        __typename
        ... on MutationOpenRelaySessionSuccess { relay { sessionId sdp } }
      }
    }
  `;

  const EVENTS = /* GraphQL */ `
    subscription ($spaceId: ID!) {
      spaceEvents(spaceId: $spaceId) {
        __typename
        ... on MediaModeChanged { mode }
        ... on RelayAudienceChanged { relayAudience }
      }
    }
  `;
  type Event = { spaceEvents: { __typename: string } };

  const spaceMedia = async (spaceGlobalId: string) =>
    (
      await t.anonymous<{
        space: { mediaMode: string; relayAudience: boolean; participantCount: number };
      }>('query ($id: ID!) { space(id: $id) { mediaMode relayAudience participantCount } }', {
        id: spaceGlobalId,
      })
    ).data?.space;

  it('gives a guest a listening connection; the small space stays a mesh and its stage is told to publish to the relay too', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Public');
    const client = wsClient(t.url);
    const events = collect<Event>(client, EVENTS, { spaceId: spaceGlobalId });
    for (let i = 0; i < 200 && t.app.bus.watchers('space-events', space.id) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await spaceMedia(spaceGlobalId)).toMatchObject({ relayAudience: false });

    const result = await t.anonymous<{
      openRelaySession: { __typename: string; relay: { sdp: string } };
    }>(OPEN, { spaceId: spaceGlobalId });
    expect(result.data?.openRelaySession.__typename).toBe('MutationOpenRelaySessionSuccess');
    expect(result.data?.openRelaySession.relay.sdp).toMatch(/^m=application /m);
    expect(await spaceMedia(spaceGlobalId)).toEqual({
      mediaMode: 'MESH',
      relayAudience: true,
      participantCount: 1,
    });
    await events.until((results) =>
      results.some((r) => r.data?.spaceEvents.__typename === 'RelayAudienceChanged'),
    );

    // A second guest changes nothing more; a signed-in listener joining still counts as usual.
    await t.anonymous(OPEN, { spaceId: spaceGlobalId });
    const listener = await t.createUser('after-guests');
    await t.app.services.spaces.join(listener.id, space.id);
    await t.app.services.mediaMode.evaluate(space.id);
    expect(await spaceMedia(spaceGlobalId)).toEqual({
      mediaMode: 'MESH',
      relayAudience: true,
      participantCount: 2,
    });
    expect(
      events.results
        .map((r) => r.data?.spaceEvents)
        // Joins and counts arrive on their own schedule; the guest changes only this.
        .filter(
          (e) =>
            e?.__typename !== 'ListenersChanged' && e?.__typename !== 'ParticipantCountChanged',
        ),
    ).toEqual([{ __typename: 'RelayAudienceChanged', relayAudience: true }]);
    await client.dispose();
    await t.app.relay!.closeSpace(space.id);
  });

  it('lets a participant on stage of a mesh space publish to the relay for its guests', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Both ways');
    await t.anonymous(OPEN, { spaceId: spaceGlobalId });
    const opened = await host.gql<{
      openRelaySession: { __typename: string; relay: { sdp: string } };
    }>(OPEN, { spaceId: spaceGlobalId });
    expect(opened.data?.openRelaySession.__typename).toBe('MutationOpenRelaySessionSuccess');
    expect(opened.data?.openRelaySession.relay.sdp).toMatch(/^m=audio /m);
    expect(await spaceMedia(spaceGlobalId)).toMatchObject({ mediaMode: 'MESH' });
    await t.app.relay!.closeSpace(space.id);
  });

  it('still moves a space with guests onto the relay when the seventh person joins', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Growing');
    await t.anonymous(OPEN, { spaceId: spaceGlobalId });
    for (let i = 0; i < 6; i++) {
      const user = await t.createUser(`grow${i}`);
      await t.app.services.spaces.join(user.id, space.id);
    }
    await t.app.services.mediaMode.evaluate(space.id);
    expect(await spaceMedia(spaceGlobalId)).toMatchObject({
      mediaMode: 'RELAY',
      participantCount: 7,
    });
    await t.app.relay!.closeSpace(space.id);
  });

  it('forgets a guest whose relay connection has gone', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Passers-by');
    await t.anonymous(OPEN, { spaceId: spaceGlobalId });
    const relaySessions = t.app.services.relaySessions!;
    const before = relaySessions.sessionCount();
    // As when the guest's connection fails or it never answers: the relay closes the session.
    await t.app.relay!.closeSpace(space.id);
    await t.anonymous(OPEN, { spaceId: spaceGlobalId });
    expect(relaySessions.sessionCount()).toBe(before);
  });

  it('refuses a guest for a space that has ended', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Over');
    await t.app.services.spaces.end(host.id, space.id);
    const result = await t.anonymous(OPEN, { spaceId: spaceGlobalId });
    expect(result.data?.['openRelaySession']).toEqual({ __typename: 'SpaceNotLive' });
  });

  it("refuses a guest answering a member's session", async () => {
    const cast = await liveSpaceWithCast(t);
    const opened = await cast.listener.gql<{
      openRelaySession: { relay: { sessionId: string } };
    }>(OPEN, { spaceId: cast.spaceGlobalId });
    const result = await t.anonymous(
      'mutation ($id: ID!, $sdp: String!) { answerRelaySession(sessionId: $id, sdp: $sdp) { __typename } }',
      { id: opened.data?.openRelaySession.relay.sessionId, sdp: sdp('recvonly') },
    );
    expect(result.data?.['answerRelaySession']).toEqual({ __typename: 'NotFound' });
  });
});
