import type { Participant as ParticipantRecord } from '../../prisma/generated/client/client.ts';
import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { asError } from '../errors.schema.ts';
import { AppError, InvalidInput, NotAllowed, SpaceNotLive, TicketRequired } from '../errors.ts';
import { parseGlobalId, toGlobalId } from '../ids.ts';
import { heldWhileOpen } from '../presence/held-subscription.ts';
import { Participant } from '../spaces/participant.schema.ts';
import { JoinSpaceSuccess } from '../spaces/space.schema.ts';
import { GuestRelayLimitReached } from './guest-limits.ts';
import type { MeshSignalMessage } from './mesh-signal.ts';
import { RelayError } from './relay/relay-error.ts';

const IceServer = builder
  .objectRef<{ urls: string | string[]; username?: string; credential?: string }>('IceServer')
  .implement({
    fields: (t) => ({
      urls: t.stringList({
        resolve: (server) => (Array.isArray(server.urls) ? server.urls : [server.urls]),
      }),
      username: t.exposeString('username', { nullable: true }),
      credential: t.exposeString('credential', { nullable: true }),
    }),
  });

builder.queryField('iceServers', (t) =>
  t.field({
    type: [IceServer],
    description:
      'STUN/TURN servers for RTCPeerConnection; empty where none are needed. STUN servers are public; TURN servers, with credentials that expire (coturn REST API scheme), only for a present participant of the live space `spaceId`, or for the holder of the relay session `relaySessionId` (a guest: ask on the connection that opened it). A guest also finds them in `openRelaySession`.',
    args: { spaceId: t.arg.id(), relaySessionId: t.arg.id() },
    resolve: (_root, args, ctx) => {
      const userId = ctx.viewer?.userId ?? null;
      const { iceServers, relaySessions } = ctx.services;
      if (args.relaySessionId && relaySessions?.holds(userId, String(args.relaySessionId))) {
        return iceServers.forSession(userId ?? 'guest');
      }
      const spaceId = args.spaceId ? parseGlobalId(String(args.spaceId), 'Space', 'spaceId') : null;
      return iceServers.forParticipant(userId, spaceId);
    },
  }),
);

const GuestRelayLimitScope = builder.enumType('GuestRelayLimitScope', {
  values: ['ADDRESS', 'SERVER'] as const,
});

builder.objectType(GuestRelayLimitReached, {
  ...asError,
  name: 'GuestRelayLimitReached',
  description:
    'Too many relay sessions without an account: from this address (ADDRESS) or on this server (SERVER). Sign in, or close another tab.',
  fields: (t) => ({
    scope: t.expose('scope', { type: GuestRelayLimitScope }),
    limit: t.exposeInt('limit'),
  }),
});

builder.mutationField('sendMeshSignal', (t) =>
  t.field({
    type: Participant,
    description:
      "Sends simple-peer signal data (JSON) to another participant of the space's browser mesh.",
    args: {
      spaceId: t.arg.id({ required: true }),
      toParticipantId: t.arg.id({ required: true }),
      // JSON may be pretty-printed.
      signal: t.arg.string({ required: true, multiline: true }),
    },
    errors: { types: [TicketRequired], dataField: { name: 'to' } },
    resolve: (_root, args, ctx) =>
      ctx.services.signals.send(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
        parseGlobalId(String(args.toParticipantId), 'Participant', 'toParticipantId'),
        args.signal,
      ),
  }),
);

const MeshSignal = builder.objectRef<MeshSignalMessage>('MeshSignal').implement({
  description: 'Signal data another participant sent to the caller.',
  fields: (t) => ({
    fromParticipantId: t.id({
      resolve: (message) => toGlobalId('Participant', message.fromParticipantId),
    }),
    from: t.field({
      type: Participant,
      resolve: (message, _args, ctx): Promise<ParticipantRecord> =>
        ctx.prisma.participant.findUniqueOrThrow({ where: { id: message.fromParticipantId } }),
    }),
    signal: t.exposeString('signal'),
  }),
});

builder.subscriptionField('meshSignals', (t) =>
  t.field({
    type: MeshSignal,
    description:
      "Signals addressed to the caller's place in a live space. May be opened before joinSpace (by anyone who may join): a joining browser that opens it first receives the offers people on stage send in reaction to its join as soon as they are sent.",
    args: { spaceId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const spaceId = parseGlobalId(String(args.spaceId), 'Space', 'spaceId');
      const signals = await ctx.services.signals.subscribe(requireViewer(ctx).userId, spaceId);
      return heldWhileOpen(ctx, spaceId, signals);
    },
    resolve: (message) => message,
  }),
);

const RelayOffer = builder.objectRef<{ sessionId: string; offer: string }>('RelayOffer').implement({
  description:
    "The relay's SDP offer: one audio m-line for the caller's microphone, then one per stage seat, then a data channel `amphi` naming who is in which seat.",
  fields: (t) => ({
    sessionId: t.exposeID('sessionId'),
    sdp: t.exposeString('offer'),
    iceServers: t.field({
      type: [IceServer],
      description:
        'ICE servers for this connection, TURN included with credentials that expire: the session is what entitles the caller to them.',
      resolve: (_offer, _args, ctx) =>
        ctx.services.iceServers.forSession(ctx.viewer?.userId ?? 'guest'),
    }),
  }),
});

builder.objectField(JoinSpaceSuccess, 'relay', (t) =>
  t.field({
    type: RelayOffer,
    nullable: true,
    description:
      "The caller's connection to the server relay, opened by selecting this field when the space's audio goes through the relay: what openRelaySession would return, a round trip sooner. Answer it with answerRelaySession on the same graphql-ws connection. Null in a mesh, while the caller already holds an open relay connection (joining again never cuts it), or when the relay cannot take the caller now: then openRelaySession (once the space is on the relay) opens one or says why.",
    resolve: (place, _args, ctx) => relayOnJoin(ctx, place.spaceId),
  }),
);

builder.objectField(JoinSpaceSuccess, 'iceServers', (t) =>
  t.field({
    type: [IceServer],
    description:
      "ICE servers for the caller's connections in the space, TURN included with credentials that expire: what Query.iceServers returns a present participant, a round trip sooner.",
    resolve: (place, _args, ctx) => ctx.services.iceServers.forSession(place.id),
  }),
);

const MeshOfferInput = builder.inputType('MeshOfferInput', {
  description:
    'Signal data for one person on stage, made before joining (see MutationJoinSpaceSuccess.meshOffers).',
  fields: (t) => ({
    toParticipantId: t.id({ required: true }),
    // JSON may be pretty-printed.
    signal: t.string({ required: true }),
  }),
});

/** Operations that have sent their offers: aliases must not multiply one join's offers. */
const offersSent = new WeakSet<Context>();

builder.objectField(JoinSpaceSuccess, 'meshOffers', (t) =>
  t.idList({
    description:
      "Sends the caller's mesh offers (sendMeshSignal's signal data), made before joining, to people on stage: what sendMeshSignal would do once joinSpace answered, a round trip sooner. Of two people in a mesh the one whose place in the space is newer offers (the UUIDv7 inside a participant's ID sorts in the order places were first taken; a rejoin keeps its place), so an offer goes only to someone whose place is older, and only as sendMeshSignal would let it. Returns whom the offers reached; send the others (or answer their offers) once joined. At most one per seat on stage, and once per operation.",
    args: { offers: t.arg({ type: [MeshOfferInput], required: true }) },
    errors: { dataField: { name: 'delivered' } },
    resolve: async (place, args, ctx) => {
      if (offersSent.has(ctx)) throw InvalidInput.of('offers', 'go once per join');
      offersSent.add(ctx);
      const offers = args.offers.map(({ toParticipantId, signal }) => ({
        toParticipantId: parseGlobalId(String(toParticipantId), 'Participant', 'toParticipantId'),
        signal,
      }));
      const delivered = await ctx.services.signals.sendJoinOffers(
        requireViewer(ctx).userId,
        place,
        offers,
      );
      return delivered.map((id) => toGlobalId('Participant', id));
    },
  }),
);

/** The joiner's relay offer, or null: the join has succeeded whatever happens here. */
async function relayOnJoin(ctx: Context, spaceId: string) {
  const { relaySessions } = ctx.services;
  if (!relaySessions || !ctx.viewer) return null;
  try {
    return await relaySessions.openIfRelayed(ctx.viewer.userId, spaceId);
  } catch (error) {
    if (!(error instanceof AppError || error instanceof RelayError)) {
      console.error('opening the relay on joining failed', error);
    }
    return null;
  }
}

function requireRelay(ctx: { services: { relaySessions: unknown } }) {
  if (!ctx.services.relaySessions) throw new NotAllowed('use a relay on this server');
}

builder.mutationField('openRelaySession', (t) =>
  t.field({
    type: RelayOffer,
    description:
      "Opens the caller's connection to the server relay; answer it with answerRelaySession. Send both over the same graphql-ws connection: a session lives on one server instance. Someone joining a space on the relay gets one with the join (MutationJoinSpaceSuccess.relay); this is for guests, reconnections and spaces that move to the relay later.",
    args: { spaceId: t.arg.id({ required: true }) },
    errors: {
      types: [SpaceNotLive, TicketRequired, GuestRelayLimitReached],
      dataField: { name: 'relay' },
    },
    resolve: (_root, args, ctx) => {
      requireRelay(ctx);
      const spaceId = parseGlobalId(String(args.spaceId), 'Space', 'spaceId');
      return ctx.viewer
        ? ctx.services.relaySessions!.open(ctx.viewer.userId, spaceId)
        : ctx.services.relaySessions!.openForGuest(spaceId, ctx.clientIp);
    },
  }),
);

const RelaySession = builder.objectRef<{ sessionId: string }>('RelaySession').implement({
  fields: (t) => ({ sessionId: t.exposeID('sessionId') }),
});

const RelaySessionLost = builder.objectRef<{ sessionId: string }>('RelaySessionLost').implement({
  description:
    "The relay lost this session without the client's doing (the relay worker carrying it stopped): open another at once.",
  fields: (t) => ({ sessionId: t.exposeID('sessionId') }),
});

builder.subscriptionField('relaySessionLost', (t) =>
  t.field({
    type: RelaySessionLost,
    description:
      "Yields once if the relay loses the session `sessionId`, then completes; a client that reopens on it reconnects in well under a second, where ICE would take seconds to notice. Only the session's holder may watch it, on the connection that opened it (a session lives on one server instance).",
    args: { sessionId: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => {
      requireRelay(ctx);
      return ctx.services.relaySessions!.watchLoss(
        ctx.viewer?.userId ?? null,
        String(args.sessionId),
      );
    },
    resolve: (lost) => lost,
  }),
);

builder.mutationField('answerRelaySession', (t) =>
  t.field({
    type: RelaySession,
    args: {
      sessionId: t.arg.id({ required: true }),
      // SDP is lines ending in CRLF.
      sdp: t.arg.string({ required: true, multiline: true }),
    },
    errors: { dataField: { name: 'session' } },
    resolve: (_root, args, ctx) => {
      requireRelay(ctx);
      return ctx.services.relaySessions!.answer(
        ctx.viewer?.userId ?? null,
        String(args.sessionId),
        args.sdp,
      );
    },
  }),
);
