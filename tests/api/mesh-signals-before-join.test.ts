import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, wsClient, wsRequest } from '../helpers/graphql-client.ts';
import {
  SEND,
  SIGNALS,
  sdp,
  signalsWatched,
  startSignallingApp,
} from '../helpers/mesh-signal-operations.ts';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import type { TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startSignallingApp();
});
afterAll(() => t?.stop());

describe('Subscription.meshSignals', () => {
  const JOIN = 'mutation ($spaceId: ID!) { joinSpace(spaceId: $spaceId) { __typename } }';

  it('brings a newcomer who listened before joining the offer the stage sends on seeing the join', async () => {
    const cast = await liveSpaceWithCast(t);
    const newcomer = cast.outsider;
    const client = wsClient(t.url, newcomer.credentials);
    const signals = collect(client, SIGNALS, { spaceId: cast.spaceGlobalId });
    const joined = await wsRequest(client, JOIN, { spaceId: cast.spaceGlobalId });
    expect(joined.data?.['joinSpace']).toEqual({ __typename: 'MutationJoinSpaceSuccess' });

    const offer = { type: 'offer', sdp: sdp('sendrecv'), peerSession: 's1' };
    const sent = await cast.speaker.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, newcomer.id),
      signal: JSON.stringify(offer),
    });
    expect(sent.data?.['sendMeshSignal']).toEqual({ __typename: 'MutationSendMeshSignalSuccess' });
    await signals.until((results) => results.length === 1);
    expect(signals.results[0]?.data?.['meshSignals']).toEqual({
      fromParticipantId: await t.participantId(cast.spaceId, cast.speaker.id),
      signal: JSON.stringify(offer),
      from: { user: { handle: cast.speaker.handle } },
    });
    await client.dispose();
  });

  it("gives a subscription opened before joining nothing of another space's signals", async () => {
    const cast = await liveSpaceWithCast(t);
    const other = await liveSpaceWithCast(t);
    const client = wsClient(t.url, cast.outsider.credentials);
    const signals = collect(client, SIGNALS, { spaceId: cast.spaceGlobalId });
    await signalsWatched(t, cast.spaceId, cast.outsider);
    await t.app.services.spaces.join(cast.outsider.id, other.spaceId);
    const sent = await other.speaker.gql(SEND, {
      spaceId: other.spaceGlobalId,
      to: await t.participantId(other.spaceId, cast.outsider.id),
      signal: JSON.stringify({ type: 'offer', sdp: sdp('sendrecv') }),
    });
    expect(sent.data?.['sendMeshSignal']).toEqual({ __typename: 'MutationSendMeshSignalSuccess' });
    await t.app.services.spaces.join(cast.outsider.id, cast.spaceId);
    await cast.speaker.gql(SEND, {
      spaceId: cast.spaceGlobalId,
      to: await t.participantId(cast.spaceId, cast.outsider.id),
      signal: '{"type":"renegotiate","renegotiate":true}',
    });
    await signals.until((results) => results.length === 1);
    expect(signals.results.map((result) => result.data?.['meshSignals'])).toMatchObject([
      { signal: '{"type":"renegotiate","renegotiate":true}' },
    ]);
    await client.dispose();
  });

  it('refuses to listen in a space that has ended, or for someone removed from it', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.moderation.removeParticipant(cast.host.id, cast.spaceId, cast.listener.id);
    const removed = wsClient(t.url, cast.listener.credentials);
    const refused = await wsRequest(removed, SIGNALS, { spaceId: cast.spaceGlobalId });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('NotAllowed');
    await removed.dispose();

    await t.app.services.spaces.end(cast.host.id, cast.spaceId);
    const late = wsClient(t.url, cast.outsider.credentials);
    const ended = await wsRequest(late, SIGNALS, { spaceId: cast.spaceGlobalId });
    expect(ended.errors?.[0]?.extensions?.['code']).toBe('NotAllowed');
    await late.dispose();
  });
});
