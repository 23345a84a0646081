import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLibsrtpListener, type LibsrtpListener } from '../helpers/libsrtp-listener.ts';
import { connectWrtcClient, type WrtcTestClient, waitFor } from '../helpers/relay-peers.ts';
import { connectThroughApi } from '../helpers/relay-through-api.ts';
import { liveSpaceWithCast, startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 1, minFollowersTicketed: 1 } });
});
afterAll(() => t?.stop());

describe('MutationJoinSpaceSuccess.relay', () => {
  const JOIN = /* GraphQL */ `
    mutation ($spaceId: ID!) {
      joinSpace(spaceId: $spaceId) {
        __typename
        ... on MutationJoinSpaceSuccess { participant { id } relay { sessionId sdp } }
      }
    }
  `;
  type Joined = {
    joinSpace: { __typename: string; relay?: { sessionId: string; sdp: string } | null };
  };
  const ANSWER = /* GraphQL */ `
    mutation ($id: ID!, $sdp: String!) {
      answerRelaySession(sessionId: $id, sdp: $sdp) { __typename }
    }
  `;

  it("hands someone joining a relay space the relay's offer, which connects them to the speaker; joining again keeps that connection", async () => {
    const cast = await liveSpaceWithCast(t);
    // As a space that outgrew the mesh is (media-signalling.test.ts, Space.mediaMode).
    await t.app.prisma.space.update({ where: { id: cast.spaceId }, data: { mediaMode: 'RELAY' } });
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
    let speaker: WrtcTestClient | undefined;
    let listener: LibsrtpListener | undefined;
    try {
      speaker = await connectThroughApi(cast.speaker, cast.spaceGlobalId, (offer) =>
        connectWrtcClient(offer, { speak: true }),
      );
      const joiner = await t.createUser('joiner');
      const joined = await joiner.gql<Joined>(JOIN, { spaceId: cast.spaceGlobalId });
      expect(joined.data?.joinSpace.__typename).toBe('MutationJoinSpaceSuccess');
      const relay = joined.data?.joinSpace.relay;
      if (!relay) throw new Error(`no relay offer: ${JSON.stringify(joined)}`);
      listener = await connectLibsrtpListener(relay.sdp);
      const answered = await joiner.gql(ANSWER, { id: relay.sessionId, sdp: listener.answer });
      expect(answered.data?.['answerRelaySession']).toEqual({
        __typename: 'MutationAnswerRelaySessionSuccess',
      });
      const heard = listener;
      await waitFor(() => heard.received.length > 0, "the speaker's audio", 30_000);

      // Joining again (as after a socket reconnects) leaves the session that carries audio alone.
      const again = await joiner.gql<Joined>(JOIN, { spaceId: cast.spaceGlobalId });
      expect(again.data?.joinSpace).toMatchObject({
        __typename: 'MutationJoinSpaceSuccess',
        relay: null,
      });
      const before = heard.receivedCount();
      await waitFor(() => heard.receivedCount() > before + 10, 'audio after joining again', 10_000);
    } finally {
      await Promise.all([speaker?.close(), listener?.close()]);
      // The test peers leave without a word; the relay would keep their sessions until consent fails.
      await t.app.relay?.closeSpace(cast.spaceId);
    }
  }, 60_000);

  it('is null in a mesh space, where nothing is opened on the relay', async () => {
    const { spaceGlobalId } = await startSpace(t, 'Small');
    const relaySessions = t.app.services.relaySessions!;
    const before = relaySessions.sessionCount();
    const joiner = await t.createUser('joiner');
    const joined = await joiner.gql<Joined>(JOIN, { spaceId: spaceGlobalId });
    expect(joined.data?.joinSpace).toEqual({
      __typename: 'MutationJoinSpaceSuccess',
      participant: { id: expect.any(String) },
      relay: null,
    });
    expect(relaySessions.sessionCount()).toBe(before);
  });

  it('opens nothing for a join that fails', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Over');
    await t.app.prisma.space.update({ where: { id: space.id }, data: { mediaMode: 'RELAY' } });
    await t.app.services.spaces.end(host.id, space.id);
    const relaySessions = t.app.services.relaySessions!;
    const before = relaySessions.sessionCount();
    const joiner = await t.createUser('joiner');
    const joined = await joiner.gql<Joined>(JOIN, { spaceId: spaceGlobalId });
    expect(joined.data?.joinSpace).toEqual({ __typename: 'SpaceNotLive' });
    expect(relaySessions.sessionCount()).toBe(before);
  });
});
