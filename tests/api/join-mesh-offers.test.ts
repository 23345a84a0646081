import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import {
  SIGNALS,
  sdp,
  signalsWatched,
  startSignallingApp,
} from '../helpers/mesh-signal-operations.ts';
import { liveSpaceWithCast, type SpaceCast } from '../helpers/space-fixtures.ts';
import type { TestApp, TestUser } from '../helpers/test-app.ts';

const JOIN = /* GraphQL */ `
  mutation ($spaceId: ID!, $offers: [MeshOfferInput!]!) {
    joinSpace(spaceId: $spaceId) {
      __typename
      ... on MutationJoinSpaceSuccess {
        participant { id }
        meshOffers(offers: $offers) {
          __typename
          ... on MutationJoinSpaceSuccessMeshOffersSuccess { delivered }
          ... on InvalidInput { issues { path message } }
        }
      }
    }
  }
`;

type Joined = {
  joinSpace: {
    __typename: string;
    participant?: { id: string };
    meshOffers?: {
      __typename: string;
      delivered?: string[];
      issues?: { path: string; message: string }[];
    };
  };
};

let t: TestApp;
beforeAll(async () => {
  t = await startSignallingApp();
});
afterAll(() => t?.stop());

const listenerOffer = (session: string) =>
  JSON.stringify({ type: 'offer', sdp: sdp('recvonly'), peerSession: session });

/** Subscribes `user` to their mesh signals in the cast's space, ready once the server listens. */
async function inbox(cast: SpaceCast, user: TestUser) {
  const client = wsClient(t.url, user.credentials);
  const signals = collect(client, SIGNALS, { spaceId: cast.spaceGlobalId });
  await signalsWatched(t, cast.spaceId, user);
  return { client, signals };
}

async function joinWith(cast: SpaceCast, user: TestUser, offers: unknown[]) {
  const result = await user.gql<Joined>(JOIN, { spaceId: cast.spaceGlobalId, offers });
  expect(result.errors).toBeUndefined();
  return result.data!.joinSpace;
}

describe('MutationJoinSpaceSuccess.meshOffers', () => {
  it("carries a joiner's offers to the people on stage, who get them as signals", async () => {
    const cast = await liveSpaceWithCast(t);
    const host = await inbox(cast, cast.host);
    const speaker = await inbox(cast, cast.speaker);
    const hostId = await t.participantId(cast.spaceId, cast.host.id);
    const speakerId = await t.participantId(cast.spaceId, cast.speaker.id);
    const joined = await joinWith(cast, cast.outsider, [
      { toParticipantId: hostId, signal: listenerOffer('to-host') },
      { toParticipantId: speakerId, signal: listenerOffer('to-speaker') },
    ]);
    expect(joined.meshOffers).toEqual({
      __typename: 'MutationJoinSpaceSuccessMeshOffersSuccess',
      delivered: [hostId, speakerId],
    });
    await host.signals.until((results) => results.length === 1);
    await speaker.signals.until((results) => results.length === 1);
    expect(host.signals.results[0]?.data?.['meshSignals']).toEqual({
      fromParticipantId: joined.participant?.id,
      signal: listenerOffer('to-host'),
      from: { user: { handle: cast.outsider.handle } },
    });
    expect(speaker.signals.results[0]?.data?.['meshSignals']).toMatchObject({
      signal: listenerOffer('to-speaker'),
    });
    await Promise.all([host.client.dispose(), speaker.client.dispose()]);
  });

  it('delivers none that sendMeshSignal would refuse, and the join stands', async () => {
    const cast = await liveSpaceWithCast(t);
    const listenerId = await t.participantId(cast.spaceId, cast.listener.id);
    const speakerId = await t.participantId(cast.spaceId, cast.speaker.id);
    const joined = await joinWith(cast, cast.outsider, [
      // Two listeners have nothing to say to each other.
      { toParticipantId: listenerId, signal: listenerOffer('to-listener') },
      // The audience sends no audio.
      {
        toParticipantId: speakerId,
        signal: JSON.stringify({ type: 'offer', sdp: sdp('sendrecv'), peerSession: 's' }),
      },
    ]);
    expect(joined.__typename).toBe('MutationJoinSpaceSuccess');
    expect(joined.meshOffers?.delivered).toEqual([]);
    expect(await t.participantId(cast.spaceId, cast.outsider.id)).toBe(joined.participant?.id);
  });

  // Opening the inbox reads the stage ahead of the join's offers.
  it('delivers none to someone who left the stage after the joiner opened its inbox', async () => {
    const cast = await liveSpaceWithCast(t);
    const hostId = await t.participantId(cast.spaceId, cast.host.id);
    const speakerId = await t.participantId(cast.spaceId, cast.speaker.id);
    const joiner = await inbox(cast, cast.outsider);
    await t.app.services.spaces.leave(cast.speaker.id, cast.spaceId);
    const joined = await joinWith(cast, cast.outsider, [
      { toParticipantId: hostId, signal: listenerOffer('to-host') },
      { toParticipantId: speakerId, signal: listenerOffer('to-speaker') },
    ]);
    expect(joined.meshOffers?.delivered).toEqual([hostId]);
    await joiner.client.dispose();
  });

  it('sends nothing to someone whose place is newer: a rejoin keeps its place, and they offer', async () => {
    const cast = await liveSpaceWithCast(t);
    // The co-host took their place before the speaker did; leaving and coming back keeps it.
    await t.app.services.spaces.leave(cast.cohost.id, cast.spaceId);
    const speaker = await inbox(cast, cast.speaker);
    const hostId = await t.participantId(cast.spaceId, cast.host.id);
    const speakerId = await t.participantId(cast.spaceId, cast.speaker.id);
    const joined = await joinWith(cast, cast.cohost, [
      { toParticipantId: speakerId, signal: listenerOffer('to-speaker') },
      { toParticipantId: hostId, signal: listenerOffer('to-host') },
    ]);
    expect(joined.meshOffers?.delivered).toEqual([hostId]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(speaker.signals.results).toEqual([]);
    await speaker.client.dispose();
  });

  it('refuses malformed offers, and more than one per seat on stage, with a typed error', async () => {
    const cast = await liveSpaceWithCast(t);
    const hostId = await t.participantId(cast.spaceId, cast.host.id);
    const tooMany = Array.from({ length: 14 }, () => ({
      toParticipantId: hostId,
      signal: listenerOffer('s'),
    }));
    const cases: [unknown[], string][] = [
      [tooMany, 'offers'],
      [[{ toParticipantId: hostId, signal: '{"type":"offer"' }], 'signal'],
      [[{ toParticipantId: cast.spaceGlobalId, signal: listenerOffer('s') }], 'toParticipantId'],
    ];
    for (const [offers, path] of cases) {
      const joined = await joinWith(cast, cast.outsider, offers);
      expect(joined.__typename).toBe('MutationJoinSpaceSuccess');
      expect(joined.meshOffers?.__typename).toBe('InvalidInput');
      expect(joined.meshOffers?.issues?.[0]?.path).toBe(path);
    }
  });

  it('sends one set of offers per join, however many times the field is asked for', async () => {
    const cast = await liveSpaceWithCast(t);
    const hostId = await t.participantId(cast.spaceId, cast.host.id);
    const twice = /* GraphQL */ `
      mutation ($spaceId: ID!, $offers: [MeshOfferInput!]!) {
        joinSpace(spaceId: $spaceId) {
          ... on MutationJoinSpaceSuccess {
            first: meshOffers(offers: $offers) { __typename }
            second: meshOffers(offers: $offers) { __typename }
          }
        }
      }
    `;
    const result = await cast.outsider.gql<{
      joinSpace: { first: { __typename: string }; second: { __typename: string } };
    }>(twice, {
      spaceId: cast.spaceGlobalId,
      offers: [{ toParticipantId: hostId, signal: listenerOffer('s') }],
    });
    const outcomes = [result.data?.joinSpace.first, result.data?.joinSpace.second];
    expect(outcomes.map((outcome) => outcome?.__typename).sort()).toEqual([
      'InvalidInput',
      'MutationJoinSpaceSuccessMeshOffersSuccess',
    ]);
  });
});
