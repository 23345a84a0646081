import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { Participant as ParticipantRecord } from '../../prisma/generated/client/client.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { SpaceNotLive } from '../errors.ts';
import { eventStream } from '../graphql/event-stream.ts';
import { parseGlobalId } from '../ids.ts';
import { heldWhileOpen } from '../presence/held-subscription.ts';
import { Participant, ParticipantRole } from './participant.schema.ts';
import { fromSnapshot, snapshotHolds } from './participant-snapshot.ts';
import { MediaMode, Space, SpaceState } from './space.schema.ts';
import {
  isParticipantEvent,
  type ParticipantSnapshot,
  type SpaceEventKind,
  type SpaceEventOf,
  type SpaceEvent as SpaceEventPayload,
} from './space-event.ts';

/**
 * One event object reaches every subscriber on an instance, so what they re-read is loaded once
 * per event, not once per subscriber.
 */
const loaded = new WeakMap<object, Map<string, Promise<unknown>>>();

function loadOnce<T>(event: object, key: string, load: () => Promise<T>): Promise<T> {
  let cache = loaded.get(event);
  if (!cache) {
    cache = new Map();
    loaded.set(event, cache);
  }
  let value = cache.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    cache.set(key, value);
  }
  return value;
}

/**
 * The participant an event is about, with exactly what the subscriber selected (so Pothos
 * resolves nested fields from it instead of reading again per subscriber): from the snapshot the
 * event carries when that holds the selection, else read once per selection.
 */
function loadParticipant(
  event: object,
  ctx: Context,
  info: GraphQLResolveInfo,
  id: string,
  snapshot?: ParticipantSnapshot,
) {
  const query = queryFromInfo({ context: ctx, info, typeName: 'Participant' });
  if (snapshot && snapshotHolds(query)) {
    return loadOnce(event, 'snapshot', async () => fromSnapshot(snapshot));
  }
  return loadOnce(event, `participant:${id}:${JSON.stringify(query)}`, () =>
    ctx.prisma.participant.findUniqueOrThrow({ ...query, where: { id } }),
  ) as Promise<ParticipantRecord>;
}

export const SpaceEvent = builder.interfaceRef<SpaceEventPayload>('SpaceEvent').implement({
  description:
    'Something that happened in a space, carrying what changed: apply it to the room you read (Query.space) instead of reading the room again. A participant event says how that participant stood once the change was made.',
  resolveType: (event) => event.kind,
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (event) => new Date(event.at) }),
    sequence: t.int({
      nullable: true,
      description:
        "This event's number in its space: 1, 2, 3… with no holes. A number more than one past the last you applied means you missed events: read the room again (Space.eventSequence says where it stands). Null on events that change no state (reactions, captions, counts).",
      resolve: (event) => event.sequence ?? null,
    }),
    space: t.field({
      type: Space,
      resolve: (event, _args, ctx) =>
        loadOnce(event, 'space', () =>
          ctx.prisma.space.findUniqueOrThrow({ where: { id: event.spaceId } }),
        ),
    }),
  }),
});

export function participantEvent<Kind extends SpaceEventKind>(kind: Kind, description: string) {
  return builder.objectRef<SpaceEventOf<Kind>>(kind).implement({
    description,
    interfaces: [SpaceEvent],
    fields: (t) => ({
      participant: t.field({
        type: Participant,
        resolve: (event, _args, ctx, info) =>
          'participantId' in event
            ? loadParticipant(
                event,
                ctx,
                info,
                event.participantId,
                isParticipantEvent(event) ? event.participant : undefined,
              )
            : Promise.reject(new Error(`${kind} has no participant`)),
      }),
    }),
  });
}

participantEvent(
  'ParticipantJoined',
  'The host came back to the space (listeners coming in arrive as ListenersChanged).',
);
participantEvent('HandRaised', 'A listener asked to speak.');
participantEvent('HandLowered', 'A raised hand went down (lowered or declined).');
participantEvent('SpeakerInvited', 'The host team invited a listener to speak.');
participantEvent(
  'CoHostInvited',
  'The host invited someone to co-host; they become co-host only when they accept.',
);

const InvitationDeclined = participantEvent(
  'InvitationDeclined',
  'Someone declined an invitation to speak or to co-host.',
);
builder.objectFields(InvitationDeclined, (t) => ({
  invitedAs: t.expose('invitedAs', {
    type: ParticipantRole,
    description: 'The role the declined invitation offered.',
  }),
}));

const ParticipantLeft = participantEvent(
  'ParticipantLeft',
  'The host left the space, or someone was removed from it (listeners leaving arrive as ListenersChanged).',
);
builder.objectFields(ParticipantLeft, (t) => ({
  removed: t.exposeBoolean('removed', { description: 'Removed by the host team; cannot rejoin.' }),
}));

const RoleChanged = participantEvent(
  'RoleChanged',
  'Someone moved on or off stage, or became host or co-host.',
);
builder.objectFields(RoleChanged, (t) => ({
  role: t.expose('role', { type: ParticipantRole }),
  previousRole: t.expose('previousRole', { type: ParticipantRole }),
}));

const MuteChanged = participantEvent('MuteChanged', 'Someone on stage was muted or unmuted.');
builder.objectFields(MuteChanged, (t) => ({ muted: t.exposeBoolean('muted') }));

/**
 * Participants as a list event's snapshots show them, with what the subscriber selected: from
 * the snapshots when they hold the selection, else read once per selection (in the list's order).
 */
function loadParticipants(
  event: object,
  key: string,
  ctx: Context,
  info: GraphQLResolveInfo,
  snapshots: ParticipantSnapshot[],
) {
  const query = queryFromInfo({ context: ctx, info, typeName: 'Participant' });
  if (snapshotHolds(query)) return loadOnce(event, key, async () => snapshots.map(fromSnapshot));
  return loadOnce(event, `${key}:${JSON.stringify(query)}`, async () => {
    const ids = snapshots.map((snapshot) => snapshot.id);
    const read = await ctx.prisma.participant.findMany({ ...query, where: { id: { in: ids } } });
    const byId = new Map(read.map((participant) => [participant.id, participant]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }) as Promise<ParticipantRecord[]>;
}

builder.objectRef<SpaceEventOf<'ListenersChanged'>>('ListenersChanged').implement({
  description:
    'Listeners who came in or went out, gathered: at most one of these per space every half second (the first at once), each participant in it once, as they stood after their last change. Listeners coming and going arrive only this way; ParticipantJoined and ParticipantLeft are the host coming and going, and removals.',
  interfaces: [SpaceEvent],
  fields: (t) => ({
    joined: t.field({
      type: [Participant],
      description: 'Listeners now in the space who came in since the last ListenersChanged.',
      resolve: (event, _args, ctx, info) =>
        loadParticipants(event, 'joined', ctx, info, event.joined),
    }),
    left: t.field({
      type: [Participant],
      description: 'Participants who left of their own accord (or whose connection went away).',
      resolve: (event, _args, ctx, info) => loadParticipants(event, 'left', ctx, info, event.left),
    }),
  }),
});

const ReactionCount = builder
  .objectRef<{ event: object; participantId: string; emoji: string; count: number }>(
    'ReactionCount',
  )
  .implement({
    fields: (t) => ({
      participant: t.field({
        type: Participant,
        resolve: (reaction, _args, ctx, info) =>
          loadParticipant(reaction.event, ctx, info, reaction.participantId),
      }),
      emoji: t.exposeString('emoji'),
      count: t.exposeInt('count'),
    }),
  });

builder.objectRef<SpaceEventOf<'ReactionsSent'>>('ReactionsSent').implement({
  description: 'Reactions sent in the last moment, gathered into one event.',
  interfaces: [SpaceEvent],
  fields: (t) => ({
    reactions: t.field({
      type: [ReactionCount],
      resolve: (event) => event.reactions.map((reaction) => ({ ...reaction, event })),
    }),
  }),
});

builder.objectRef<SpaceEventOf<'ParticipantCountChanged'>>('ParticipantCountChanged').implement({
  description:
    'How many people are in the space now. Sent at most once a second per space, however fast people come and go.',
  interfaces: [SpaceEvent],
  fields: (t) => ({ participantCount: t.exposeInt('participantCount') }),
});

builder.objectRef<SpaceEventOf<'SpaceStateChanged'>>('SpaceStateChanged').implement({
  description: 'The space went live, ended or was canceled.',
  interfaces: [SpaceEvent],
  fields: (t) => ({ state: t.expose('state', { type: SpaceState }) }),
});

builder.objectRef<SpaceEventOf<'MediaModeChanged'>>('MediaModeChanged').implement({
  description: 'The space moved from the browser mesh to the server relay.',
  interfaces: [SpaceEvent],
  fields: (t) => ({
    mode: t.field({ type: MediaMode, resolve: (event) => event.mode }),
  }),
});

builder.objectRef<SpaceEventOf<'RelayAudienceChanged'>>('RelayAudienceChanged').implement({
  description:
    'Someone now listens through the server relay while the space stays a browser mesh (a guest): people on stage publish to the relay as well as to their mesh peers.',
  interfaces: [SpaceEvent],
  fields: (t) => ({ relayAudience: t.exposeBoolean('relayAudience') }),
});

const isFinal = (event: SpaceEventPayload) =>
  event.kind === 'SpaceStateChanged' && (event.state === 'ENDED' || event.state === 'CANCELED');

/** A space's events, without captions when `hears` is false, completing after the one that ends it. */
const spaceStream = (events: AsyncIterable<SpaceEventPayload>, hears: boolean) =>
  eventStream(events, {
    keep: hears ? undefined : (event) => event.kind !== 'CaptionSegment',
    isLast: isFinal,
  });

builder.subscriptionField('spaceEvents', (t) =>
  t.field({
    type: SpaceEvent,
    description:
      "A space's live events, in order. Open to everyone for public spaces, signed in or not.",
    args: { spaceId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const spaceId = parseGlobalId(String(args.spaceId), 'Space', 'spaceId');
      const space = await ctx.services.spaces.requireObservable(spaceId);
      if (space.state === 'ENDED' || space.state === 'CANCELED') {
        throw new SpaceNotLive(space.state);
      }
      const events = ctx.services.spaces.subscribe(space.id);
      // Captions are what is said: in a ticketed space, only for those who may listen.
      const hears = await ctx.services.spaces.mayHear(space, ctx.viewer?.userId ?? null);
      return heldWhileOpen(ctx, space.id, spaceStream(events, hears));
    },
    resolve: (event) => event,
  }),
);
