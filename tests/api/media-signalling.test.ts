import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import {
  SEND,
  SIGNALS,
  sdp,
  signalsWatched,
  startSignallingApp,
} from '../helpers/mesh-signal-operations.ts';
import { liveSpaceWithCast, type SpaceCast, startSpace } from '../helpers/space-fixtures.ts';
import type { TestApp, TestUser } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startSignallingApp();
});
afterAll(() => t?.stop());

async function promoteHere(cast: SpaceCast) {
  await t.app.services.stage.inviteToSpeak(cast.host.id, cast.spaceId, cast.listener.id);
  await t.app.services.stage.acceptSpeakerInvitation(cast.listener.id, cast.spaceId);
}

async function promoteElsewhere(cast: SpaceCast) {
  await t.app.prisma.participant.update({
    where: { spaceId_userId: { spaceId: cast.spaceId, userId: cast.listener.id } },
    data: { role: 'SPEAKER' },
  });
}

describe('Mutation.sendMeshSignal', () => {
  it("delivers a speaker's offer to the addressed listener only", async () => {
    const cast = await liveSpaceWithCast(t);
    const listenerClient = wsClient(t.url, cast.listener.credentials);
    const cohostClient = wsClient(t.url, cast.cohost.credentials);
    const listenerSignals = collect(listenerClient, SIGNALS, { spaceId: cast.spaceGlobalId });
    const cohostSignals = collect(cohostClient, SIGNALS, { spaceId: cast.spaceGlobalId });
    const listenerId = await t.participantId(cast.spaceId, cast.listener.id);
    await signalsWatched(t, cast.spaceId, cast.listener);
    await signalsWatched(t, cast.spaceId, cast.cohost);

    const offer = { type: 'offer', sdp: sdp('sendrecv') };
    const sent = await cast.speaker.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: listenerId,
      signal: JSON.stringify(offer),
    });
    expect(sent.data?.['sendMeshSignal']).toEqual({ __typename: 'MutationSendMeshSignalSuccess' });
    await listenerSignals.until((results) => results.length === 1);
    expect(listenerSignals.results[0]?.data?.['meshSignals']).toEqual({
      fromParticipantId: await t.participantId(cast.spaceId, cast.speaker.id),
      signal: JSON.stringify(offer),
      from: { user: { handle: cast.speaker.handle } },
    });
    expect(cohostSignals.results).toEqual([]);
    await listenerClient.dispose();
    await cohostClient.dispose();
  });

  it('refuses a listener offering to send audio, even to a speaker', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.listener.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, cast.speaker.id),
      signal: JSON.stringify({ type: 'offer', sdp: sdp('sendonly') }),
    });
    expect(result.data?.['sendMeshSignal']).toEqual({
      __typename: 'NotAllowed',
      action: 'send audio from the audience',
    });
  });

  it("lets a listener answer a speaker's offer to receive only", async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.listener.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, cast.speaker.id),
      signal: JSON.stringify({ type: 'answer', sdp: sdp('recvonly') }),
    });
    expect(result.data?.['sendMeshSignal']).toEqual({
      __typename: 'MutationSendMeshSignalSuccess',
    });
  });

  it('refuses a connection between two listeners', async () => {
    const cast = await liveSpaceWithCast(t);
    const other = await t.createUser('other');
    await t.app.services.spaces.join(other.id, cast.spaceId);
    const result = await cast.listener.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, other.id),
      signal: JSON.stringify({ type: 'offer', sdp: sdp('recvonly') }),
    });
    expect(result.data?.['sendMeshSignal']).toEqual({
      __typename: 'NotAllowed',
      action: 'connect two listeners',
    });
  });

  it('refuses someone who is not in the space, and a participant of another space', async () => {
    const cast = await liveSpaceWithCast(t);
    const elsewhere = await startSpace(t, 'Elsewhere');
    const outsiderResult = await cast.outsider.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, cast.listener.id),
      signal: '{"type":"renegotiate","renegotiate":true}',
    });
    expect(outsiderResult.data?.['sendMeshSignal']).toMatchObject({ __typename: 'NotAllowed' });
    const hostElsewhere = await t.app.prisma.participant.findFirstOrThrow({
      where: { spaceId: elsewhere.space.id },
    });
    const crossSpace = await cast.speaker.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: toGlobalId('Participant', hostElsewhere.id),
      signal: '{"type":"renegotiate","renegotiate":true}',
    });
    expect(crossSpace.data?.['sendMeshSignal']).toEqual({
      __typename: 'NotFound',
      resource: 'Participant',
    });
  });

  // Each case signals first, so the places of both ends are fresh in memory when things change.
  it.each([
    ['here', (cast: SpaceCast) => promoteHere(cast)],
    // Written straight to the database: this instance hears nothing of it.
    ['on another instance', (cast: SpaceCast) => promoteElsewhere(cast)],
  ])(
    'lets a listener promoted %s a moment after signalling send audio at once',
    async (_, promote) => {
      const cast = await liveSpaceWithCast(t);
      const speakerId = await t.participantId(cast.spaceId, cast.speaker.id);
      const answer = await cast.listener.gql(SEND, {
        spaceId: cast.spaceGlobalId,
        to: speakerId,
        signal: JSON.stringify({ type: 'answer', sdp: sdp('recvonly') }),
      });
      expect(answer.data?.['sendMeshSignal']).toEqual({
        __typename: 'MutationSendMeshSignalSuccess',
      });
      await promote(cast);
      const offer = await cast.listener.gql(SEND, {
        spaceId: cast.spaceGlobalId,
        to: speakerId,
        signal: JSON.stringify({ type: 'offer', sdp: sdp('sendrecv') }),
      });
      expect(offer.data?.['sendMeshSignal']).toEqual({
        __typename: 'MutationSendMeshSignalSuccess',
      });
    },
  );

  it.each([
    ['leaves', (cast: SpaceCast) => t.app.services.spaces.leave(cast.listener.id, cast.spaceId)],
    [
      'is removed',
      (cast: SpaceCast) =>
        t.app.services.moderation.removeParticipant(cast.host.id, cast.spaceId, cast.listener.id),
    ],
  ])('refuses a listener who %s a moment after signalling', async (_, change) => {
    const cast = await liveSpaceWithCast(t);
    const signal = {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, cast.speaker.id),
      signal: JSON.stringify({ type: 'answer', sdp: sdp('recvonly') }),
    };
    const before = await cast.listener.gql(SEND, signal);
    expect(before.data?.['sendMeshSignal']).toEqual({
      __typename: 'MutationSendMeshSignalSuccess',
    });
    await change(cast);
    const after = await cast.listener.gql(SEND, signal);
    expect(after.data?.['sendMeshSignal']).toEqual({
      __typename: 'NotAllowed',
      action: 'signal without being in the live space',
    });
    // Nor may anyone still signal to them.
    const toThem = await cast.speaker.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, cast.listener.id),
      signal: JSON.stringify({ type: 'offer', sdp: sdp('sendrecv') }),
    });
    expect(toThem.data?.['sendMeshSignal']).toEqual({
      __typename: 'NotFound',
      resource: 'Participant',
    });
  });

  it.each([
    ['not JSON', '{offer', 'must be JSON'],
    ['an unknown kind of signal', '{"type":"bye"}', undefined],
    ['an oversized SDP', JSON.stringify({ type: 'offer', sdp: 'x'.repeat(40_000) }), undefined],
  ])('refuses %s with InvalidInput', async (_, signal, message) => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.speaker.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, cast.listener.id),
      signal,
    });
    expect(result.data?.['sendMeshSignal']).toMatchObject({ __typename: 'InvalidInput' });
    if (message) {
      expect(result.data?.['sendMeshSignal']).toMatchObject({
        issues: [{ path: 'signal', message }],
      });
    }
  });

  it('turns away a flood of candidates with RATE_LIMITED', async () => {
    const cast = await liveSpaceWithCast(t);
    const to = await t.participantId(cast.spaceId, cast.listener.id);
    const candidate = JSON.stringify({
      type: 'candidate',
      candidate: {
        candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host',
        sdpMLineIndex: 0,
        sdpMid: '0',
      },
    });
    const results = [];
    for (let i = 0; i < 41; i++) {
      results.push(
        await cast.speaker.gql(SEND, { spaceId: cast.spaceGlobalId, to, signal: candidate }),
      );
    }
    expect(results.at(-1)?.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(results[0]?.data?.['sendMeshSignal']).toEqual({
      __typename: 'MutationSendMeshSignalSuccess',
    });
  });
});

describe('Space.mediaMode', () => {
  const EVENTS = /* GraphQL */ `
    subscription ($spaceId: ID!) {
      spaceEvents(spaceId: $spaceId) { __typename ... on MediaModeChanged { mode } }
    }
  `;

  it('moves to the relay when the seventh person joins, announces it once, and stays there', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const client = wsClient(t.url);
    const events = collect<{ spaceEvents: { __typename: string; mode?: string } }>(client, EVENTS, {
      spaceId: spaceGlobalId,
    });
    for (let i = 0; i < 200 && t.app.bus.watchers('space-events', space.id) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const listeners: TestUser[] = [];
    for (let i = 0; i < 5; i++) {
      const user = await t.createUser(`l${i}`);
      await t.app.services.spaces.join(user.id, space.id);
      listeners.push(user);
    }
    const mode = async () =>
      (
        await t.anonymous<{ space: { mediaMode: string } }>(
          'query ($id: ID!) { space(id: $id) { mediaMode } }',
          { id: spaceGlobalId },
        )
      ).data?.space.mediaMode;
    expect(await mode()).toBe('MESH');

    const seventh = await t.createUser('seventh');
    await t.app.services.spaces.join(seventh.id, space.id);
    await events.until((results) =>
      results.some((r) => r.data?.spaceEvents.__typename === 'MediaModeChanged'),
    );
    expect(await mode()).toBe('RELAY');
    for (const user of listeners) await t.app.services.spaces.leave(user.id, space.id);
    expect(await mode()).toBe('RELAY');
    const changes = events.results.filter(
      (r) => r.data?.spaceEvents.__typename === 'MediaModeChanged',
    );
    expect(changes.map((r) => r.data?.spaceEvents.mode)).toEqual(['RELAY']);
    await client.dispose();
  });
});

describe('Mutation.openRelaySession', () => {
  const OPEN = /* GraphQL */ `
    mutation ($spaceId: ID!) {
      openRelaySession(spaceId: $spaceId) {
        __typename
        ... on MutationOpenRelaySessionSuccess { relay { sessionId sdp } }
      }
    }
  `;

  it('offers a participant a microphone line, a line per stage seat in use and two spare, and a data channel', async () => {
    const cast = await liveSpaceWithCast(t);
    const open = async (member: typeof cast.listener) => {
      const result = await member.gql<{
        openRelaySession: { relay: { sessionId: string; sdp: string } };
      }>(OPEN, { spaceId: cast.spaceGlobalId });
      return result.data?.openRelaySession.relay.sdp ?? '';
    };
    const { stage } = t.app.services;
    await stage.setMuted(cast.host.id, cast.spaceId, false);
    await stage.setMuted(cast.speaker.id, cast.spaceId, false);
    // The space's first session is offered before the relay has read who may be heard: the
    // spare lines only (the stage, once read, is re-offered over the data channel).
    expect((await open(cast.listener)).match(/^m=audio /gm)).toHaveLength(1 + 2);
    // Host and speaker unmuted on stage: two seats in use.
    const offer = await open(cast.cohost);
    expect(offer.match(/^m=audio /gm)).toHaveLength(1 + 2 + 2);
    expect(offer).toMatch(/^m=application /m);
  });

  it('refuses someone who is not in the space', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.outsider.gql(OPEN, { spaceId: cast.spaceGlobalId });
    expect(result.data?.['openRelaySession']).toEqual({ __typename: 'NotAllowed' });
  });

  it("refuses answering someone else's session", async () => {
    const cast = await liveSpaceWithCast(t);
    const opened = await cast.listener.gql<{
      openRelaySession: { relay: { sessionId: string } };
    }>(OPEN, { spaceId: cast.spaceGlobalId });
    const result = await cast.speaker.gql(
      'mutation ($id: ID!, $sdp: String!) { answerRelaySession(sessionId: $id, sdp: $sdp) { __typename } }',
      { id: opened.data?.openRelaySession.relay.sessionId, sdp: sdp('recvonly') },
    );
    expect(result.data?.['answerRelaySession']).toEqual({ __typename: 'NotFound' });
  });

  it.each([
    ['garbage', 'not an sdp at all'],
    ['an offer instead of an answer', sdp('sendrecv').replace('s=-', 's=-\r\na=type:offer')],
  ])(
    'refuses %s as an answer with InvalidInput, and the relay keeps serving',
    async (_, answer) => {
      const cast = await liveSpaceWithCast(t);
      const opened = await cast.listener.gql<{
        openRelaySession: { relay: { sessionId: string } };
      }>(OPEN, { spaceId: cast.spaceGlobalId });
      const result = await cast.listener.gql(
        'mutation ($id: ID!, $sdp: String!) { answerRelaySession(sessionId: $id, sdp: $sdp) { __typename ... on InvalidInput { issues { path } } } }',
        { id: opened.data?.openRelaySession.relay.sessionId, sdp: answer },
      );
      expect(result.data?.['answerRelaySession']).toEqual({
        __typename: 'InvalidInput',
        issues: [{ path: 'sdp' }],
      });
      const again = await cast.speaker.gql<{ openRelaySession: { __typename: string } }>(OPEN, {
        spaceId: cast.spaceGlobalId,
      });
      expect(again.data?.openRelaySession.__typename).toBe('MutationOpenRelaySessionSuccess');
    },
  );
});
