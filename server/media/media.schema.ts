import type { Participant as ParticipantRecord } from '../../prisma/generated/client/client.ts';
import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { NotAllowed, SpaceNotLive, TicketRequired } from '../errors.ts';
import { parseGlobalId, toGlobalId } from '../ids.ts';
import { Participant } from '../spaces/participant.schema.ts';
import type { MeshSignalMessage } from './mesh-signal.ts';

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
    description: 'STUN/TURN servers for RTCPeerConnection; empty where none are needed.',
    resolve: (_root, _args, ctx) => ctx.services.config.media.iceServers,
  }),
);

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
    description: "Signals addressed to the caller's place in a live space.",
    args: { spaceId: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) =>
      ctx.services.signals.subscribe(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
      ),
    resolve: (message) => message,
  }),
);

const RelayOffer = builder.objectRef<{ sessionId: string; offer: string }>('RelayOffer').implement({
  description:
    "The relay's SDP offer: one audio m-line for the caller's microphone, then one per stage seat, then a data channel `amphi` naming who is in which seat.",
  fields: (t) => ({ sessionId: t.exposeID('sessionId'), sdp: t.exposeString('offer') }),
});

function requireRelay(ctx: { services: { relaySessions: unknown } }) {
  if (!ctx.services.relaySessions) throw new NotAllowed('use a relay on this server');
}

builder.mutationField('openRelaySession', (t) =>
  t.field({
    type: RelayOffer,
    description:
      "Opens the caller's connection to the server relay; answer it with answerRelaySession. Send both over the same graphql-ws connection: a session lives on one server instance.",
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { types: [SpaceNotLive, TicketRequired], dataField: { name: 'relay' } },
    resolve: (_root, args, ctx) => {
      requireRelay(ctx);
      const spaceId = parseGlobalId(String(args.spaceId), 'Space', 'spaceId');
      return ctx.viewer
        ? ctx.services.relaySessions!.open(ctx.viewer.userId, spaceId)
        : ctx.services.relaySessions!.openForGuest(spaceId);
    },
  }),
);

const RelaySession = builder.objectRef<{ sessionId: string }>('RelaySession').implement({
  fields: (t) => ({ sessionId: t.exposeID('sessionId') }),
});

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
