import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { collect, wsClient, wsRequest } from '../helpers/graphql-client.ts';
import type { TestUser } from '../helpers/test-app.ts';
import {
  buy,
  buyAndPay,
  refundWebhook,
  startTicketingApp,
  type TicketingApp,
  ticketedSpace,
} from '../helpers/ticket-fixtures.ts';

const JOIN = /* GraphQL */ `
  mutation ($spaceId: ID!) { joinSpace(spaceId: $spaceId) { __typename ... on Error { message } } }
`;

const OPEN_RELAY = /* GraphQL */ `
  mutation ($spaceId: ID!) { openRelaySession(spaceId: $spaceId) { __typename } }
`;

const SEND = /* GraphQL */ `
  mutation ($spaceId: ID!, $to: ID!, $signal: String!) {
    sendMeshSignal(spaceId: $spaceId, toParticipantId: $to, signal: $signal) { __typename }
  }
`;

const SIGNALS = /* GraphQL */ `
  subscription ($spaceId: ID!) { meshSignals(spaceId: $spaceId) { signal } }
`;

// A listener asking the host for audio: allowed from a listener (it sends none).
const listenerOffer = JSON.stringify({
  type: 'offer',
  sdp: [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=recvonly',
    '',
  ].join('\r\n'),
});

let a: TicketingApp;
beforeAll(async () => {
  a = await startTicketingApp();
});
afterAll(() => a?.stop());

/** A ticketed space, now live, with one paid ticket holder who has not joined yet. */
async function liveTicketedSpace() {
  const { host, space, spaceGlobalId } = await ticketedSpace(a.t);
  const holder = await a.t.createUser('holder');
  const paid = await buyAndPay(a, holder, spaceGlobalId);
  await a.t.app.services.scheduling.start(host.id, space.id);
  return { host, holder, paid, spaceId: space.id, spaceGlobalId };
}

const typename = (result: { data?: Record<string, unknown> }, field: string) =>
  (result.data?.[field] as { __typename?: string } | undefined)?.__typename;

describe('Mutation.joinSpace (ticketed)', () => {
  it('a ticket holder joins; someone without a ticket, or still checking out, gets TicketRequired', async () => {
    const { holder, spaceId, spaceGlobalId } = await liveTicketedSpace();
    const stranger = await a.t.createUser('stranger');
    const checkingOut = await a.t.createUser('checking_out');
    await buy(checkingOut, spaceGlobalId);

    expect(typename(await stranger.gql(JOIN, { spaceId: spaceGlobalId }), 'joinSpace')).toBe(
      'TicketRequired',
    );
    expect(typename(await checkingOut.gql(JOIN, { spaceId: spaceGlobalId }), 'joinSpace')).toBe(
      'TicketRequired',
    );
    expect(typename(await holder.gql(JOIN, { spaceId: spaceGlobalId }), 'joinSpace')).toBe(
      'MutationJoinSpaceSuccess',
    );
    const inSpace = await a.t.app.prisma.participant.findMany({
      where: { spaceId, leftAt: null },
      select: { userId: true },
    });
    expect(inSpace.map((p) => p.userId).sort()).not.toContain(stranger.id);
    expect(inSpace).toHaveLength(2);
  });
});

describe('media layer (ticketed)', () => {
  async function signal(from: TestUser, spaceGlobalId: string, to: string) {
    return from.gql(SEND, { spaceId: spaceGlobalId, to, signal: listenerOffer });
  }

  it('a holder signals and opens a relay session; once refunded, they are out and refused', async () => {
    const { host, holder, paid, spaceId, spaceGlobalId } = await liveTicketedSpace();
    await holder.gql(JOIN, { spaceId: spaceGlobalId });
    const hostParticipant = await a.t.participantId(spaceId, host.id);

    expect(typename(await signal(holder, spaceGlobalId, hostParticipant), 'sendMeshSignal')).toBe(
      'MutationSendMeshSignalSuccess',
    );
    expect(
      typename(await holder.gql(OPEN_RELAY, { spaceId: spaceGlobalId }), 'openRelaySession'),
    ).toBe('MutationOpenRelaySessionSuccess');

    const sessionsBefore = a.t.app.services.relaySessions?.sessionCount() ?? 0;

    // The host refunds the ticket in Stripe's dashboard: the holder leaves the room, their relay
    // session closes, and no signalling or relay audio reach them any more.
    expect((await refundWebhook(a, paid.session['payment_intent'] as string)).status).toBe(200);
    const seat = await a.t.app.prisma.participant.findFirstOrThrow({
      where: { spaceId, userId: holder.id },
    });
    expect(seat.leftAt).not.toBeNull();
    await vi.waitFor(() =>
      expect(a.t.app.services.relaySessions?.sessionCount()).toBe(sessionsBefore - 1),
    );
    expect(typename(await signal(holder, spaceGlobalId, hostParticipant), 'sendMeshSignal')).toBe(
      'NotAllowed',
    );
    expect(
      typename(await holder.gql(OPEN_RELAY, { spaceId: spaceGlobalId }), 'openRelaySession'),
    ).toBe('NotAllowed');
    expect(typename(await holder.gql(JOIN, { spaceId: spaceGlobalId }), 'joinSpace')).toBe(
      'TicketRequired',
    );
    const client = wsClient(a.t.url, holder.credentials);
    const subscribed = await wsRequest(client, SIGNALS, { spaceId: spaceGlobalId });
    expect(subscribed.errors?.[0]?.extensions?.['code']).toBe('NotAllowed');
    await client.dispose();
  });

  it('the host signals without a ticket', async () => {
    const { host, holder, spaceId, spaceGlobalId } = await liveTicketedSpace();
    await holder.gql(JOIN, { spaceId: spaceGlobalId });
    const holderParticipant = await a.t.participantId(spaceId, holder.id);
    expect(typename(await signal(host, spaceGlobalId, holderParticipant), 'sendMeshSignal')).toBe(
      'MutationSendMeshSignalSuccess',
    );
  });

  it('a guest without an account gets no relay session, and the space stays as it was', async () => {
    const { spaceGlobalId, spaceId } = await liveTicketedSpace();
    const sessions = a.t.app.services.relaySessions?.sessionCount();
    expect(
      typename(await a.t.anonymous(OPEN_RELAY, { spaceId: spaceGlobalId }), 'openRelaySession'),
    ).toBe('TicketRequired');
    const space = await a.t.app.prisma.space.findUniqueOrThrow({ where: { id: spaceId } });
    expect(space).toMatchObject({ mediaMode: 'MESH', relayAudience: false });
    expect(a.t.app.services.relaySessions?.sessionCount()).toBe(sessions);
  });
});

describe('captions (ticketed)', () => {
  const EVENTS = /* GraphQL */ `
    subscription ($spaceId: ID!) { spaceEvents(spaceId: $spaceId) { __typename } }
  `;
  const TRANSCRIPT = /* GraphQL */ `
    query ($id: ID!) { space(id: $id) { transcript(first: 10) { edges { node { text } } } } }
  `;

  async function watchers(spaceId: string, count: number) {
    for (let i = 0; i < 200 && a.t.app.bus.watchers('space-events', spaceId) < count; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('what is said reaches holders only: caption events, Space.transcript, the transcript file', async () => {
    const { host, holder, spaceId, spaceGlobalId } = await liveTicketedSpace();
    await holder.gql(JOIN, { spaceId: spaceGlobalId });
    const stranger = await a.t.createUser('stranger');
    const speaker = await a.t.app.prisma.participant.findUniqueOrThrow({
      where: { spaceId_userId: { spaceId, userId: host.id } },
    });
    const clients = [
      wsClient(a.t.url, holder.credentials),
      wsClient(a.t.url, stranger.credentials),
    ];
    const before = a.t.app.bus.watchers('space-events', spaceId);
    const [heard, overheard] = clients.map((client) =>
      collect<{ spaceEvents: { __typename: string } }>(client, EVENTS, { spaceId: spaceGlobalId }),
    );
    await watchers(spaceId, before + 2);
    const caption = { participantId: speaker.id, text: 'the secret sauce', startMs: 0, endMs: 900 };
    a.t.app.bus.publish('space-events', spaceId, {
      kind: 'CaptionSegment',
      spaceId,
      ...caption,
      final: true,
      degraded: false,
      at: new Date().toISOString(),
    });
    await a.t.app.prisma.transcriptSegment.create({ data: { spaceId, ...caption } });
    await a.t.app.services.spaces.end(host.id, spaceId);
    const kinds = async (events: typeof heard) =>
      (
        await events!.until((r) =>
          r.some((e) => e.data?.spaceEvents.__typename === 'SpaceStateChanged'),
        )
      )
        .map((e) => e.data?.spaceEvents.__typename)
        // Counts come on their own schedule; what is said is what this test follows.
        .filter((kind) => kind !== 'ParticipantCountChanged');
    expect(await kinds(heard)).toEqual(['CaptionSegment', 'SpaceStateChanged']);
    expect(await kinds(overheard)).toEqual(['SpaceStateChanged']);
    for (const client of clients) await client.dispose();

    const read = async (user: typeof holder) =>
      (
        await user.gql<{ space: { transcript: { edges: unknown[] } } }>(TRANSCRIPT, {
          id: spaceGlobalId,
        })
      ).data?.space.transcript.edges;
    expect(await read(holder)).toEqual([{ node: { text: 'the secret sauce' } }]);
    expect(await read(stranger)).toEqual([]);
    const file = await fetch(`${a.t.url}/spaces/${toGlobalId('Space', spaceId)}/transcript.txt`);
    expect(file.status).toBe(403);
    expect(await file.text()).not.toContain('secret');
  });
});
