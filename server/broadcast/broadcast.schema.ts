import { builder } from '../builder.ts';
import { Space } from '../spaces/space.schema.ts';
import type { BroadcastService } from './broadcast.service.ts';

const BroadcastState = builder.enumType('BroadcastState', {
  description:
    'UNAVAILABLE: this server has no relay, so nothing to broadcast. ENDED: the space is not live. IDLE: live, and the broadcast starts on the first fetch of its URL. STARTING: its first segment is being made. LIVE: segments are being made now.',
  values: ['UNAVAILABLE', 'ENDED', 'IDLE', 'STARTING', 'LIVE'] as const,
});

const ListeningMode = builder.enumType('ListeningMode', {
  description:
    'RELAY: live over WebRTC. BROADCAST: over HLS, a few seconds behind (captions, reactions and the stage stay live).',
  values: ['RELAY', 'BROADCAST'] as const,
});

type BroadcastShape = Awaited<ReturnType<BroadcastService['info']>>;

const Broadcast = builder.objectRef<BroadcastShape>('Broadcast').implement({
  description:
    'A live space’s mixed audio as HLS (fMP4 Opus segments of about 2 s), for audiences larger than relays should hold; any HTTP cache or CDN may sit in front of it.',
  fields: (t) => ({
    state: t.expose('state', { type: BroadcastState }),
    url: t.exposeString('url', {
      nullable: true,
      description:
        'The HLS media playlist, as a path on this server. Signed and expiring where the space is ticketed (ask again for a new one); null for whoever may not hear the space, and once it ended.',
    }),
    latencySeconds: t.exposeFloat('latencySeconds', {
      nullable: true,
      description: 'About how far behind the live space a player is, while LIVE.',
    }),
    recommended: t.expose('recommended', {
      type: ListeningMode,
      description: 'How a listener who has not chosen should listen (by the audience size).',
    }),
  }),
});

builder.prismaObjectFields(Space, (t) => ({
  broadcast: t.field({
    type: Broadcast,
    select: { id: true, hostId: true, state: true },
    description: 'The space’s HLS broadcast tier.',
    resolve: (space, _args, ctx) => ctx.services.broadcast.info(space, ctx.viewer?.userId ?? null),
  }),
}));
