import type { Participant as ParticipantRecord } from '../../prisma/generated/client/client.ts';
import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import {
  AlreadyHosting,
  BlockedByHost,
  NotEnoughFollowers,
  RemovedFromSpace,
  SpaceNotLive,
  TicketRequired,
} from '../errors.ts';
import { parseGlobalId, toGlobalId } from '../ids.ts';
import { RecordingUnavailable } from '../recordings/recording-errors.ts';
import { Participant, ParticipantRole } from './participant.schema.ts';

export const SpaceState = builder.enumType('SpaceState', {
  values: ['SCHEDULED', 'LIVE', 'ENDED', 'CANCELED'] as const,
});

export const MediaMode = builder.enumType('MediaMode', {
  description:
    'MESH: browsers connect to each other. RELAY: everyone connects to the server relay.',
  values: ['MESH', 'RELAY'] as const,
});

const stageOrder = { HOST: 0, COHOST: 1, SPEAKER: 2, LISTENER: 3 } as const;

export const Space = builder.prismaNode('Space', {
  id: { field: 'id' },
  description: 'A live audio room, shaped like the X API Space object.',
  fields: (t) => ({
    title: t.exposeString('title'),
    topics: t.exposeStringList('topics'),
    state: t.expose('state', { type: SpaceState }),
    host: t.relation('host'),
    mediaMode: t.expose('mediaMode', {
      type: MediaMode,
      description: 'How audio travels now; it moves from MESH to RELAY once, as the space grows.',
    }),
    relayAudience: t.exposeBoolean('relayAudience', {
      description:
        'Someone listens through the server relay while the space is a MESH (guests without an account): people on stage then publish to the relay too. Once true, it stays true while the space is live.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    participantCount: t.relationCount('participants', {
      description: 'Everyone in the space now, host and listeners included.',
      where: { leftAt: null },
    }),
    eventSequence: t.int({
      description:
        "The number of the space's last event (Subscription.spaceEvents' sequence), 0 before any. Read with the room, it tells which events the room already reflects: apply only those numbered above it.",
      resolve: (space, _args, ctx) =>
        sequenceBeforeRead.get(space) ?? ctx.services.spaceSequence.current(space.id),
    }),
    shareUrl: t.string({
      resolve: (space, _args, ctx) =>
        new URL(`/spaces/${toGlobalId('Space', space.id)}`, ctx.services.config.publicUrl).href,
    }),
    stage: t.prismaField({
      type: [Participant],
      description: 'Host, co-hosts and speakers, in that order.',
      resolve: async (query, space, _args, ctx) => {
        const onStage = await ctx.prisma.participant.findMany({
          ...query,
          where: { spaceId: space.id, leftAt: null, role: { not: 'LISTENER' } },
          orderBy: { roleChangedAt: 'asc' },
        });
        return onStage.sort((a, b) => stageOrder[a.role] - stageOrder[b.role]);
      },
    }),
    participants: t.relatedConnection('participants', {
      cursor: 'id',
      description:
        'People in the space now, earliest first, a page at a time (at most 100 a page); filter by role for large audiences.',
      args: { role: t.arg({ type: ParticipantRole }) },
      query: (args) => ({
        where: { leftAt: null, ...(args.role ? { role: args.role } : {}) },
        orderBy: { joinedAt: 'asc' },
      }),
    }),
    speakerRequests: t.relation('participants', {
      description: "Listeners with a raised hand, oldest request first: the host team's queue.",
      query: {
        where: { leftAt: null, role: 'LISTENER', handRaisedAt: { not: null } },
        orderBy: { handRaisedAt: 'asc' },
      },
    }),
    viewerParticipant: t.prismaField({
      type: Participant,
      nullable: true,
      description: "The caller's place in this space, if they are in it.",
      resolve: (query, space, _args, ctx) =>
        ctx.viewer
          ? ctx.prisma.participant.findFirst({
              ...query,
              where: { spaceId: space.id, userId: ctx.viewer.userId, leftAt: null },
            })
          : null,
    }),
  }),
});

/**
 * The event sequence read just before a space's row: any event numbered at or below it had been
 * published, so had committed, before the room was read.
 */
const sequenceBeforeRead = new WeakMap<object, number>();

builder.queryField('space', (t) =>
  t.prismaField({
    type: 'Space',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Space', 'id');
      const sequence = await ctx.services.spaceSequence.current(id);
      const space = await ctx.prisma.space.findUnique({ ...query, where: { id } });
      if (space) sequenceBeforeRead.set(space, sequence);
      return space;
    },
  }),
);

builder.queryField('spaces', (t) =>
  t.prismaConnection({
    type: 'Space',
    cursor: 'id',
    description: 'Spaces in one state, newest first; SCHEDULED ones soonest first.',
    args: { state: t.arg({ type: SpaceState, defaultValue: 'LIVE' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.space.findMany({
        ...query,
        where: { state: args.state ?? 'LIVE' },
        orderBy:
          args.state === 'SCHEDULED'
            ? [{ scheduledStart: 'asc' }, { id: 'asc' }]
            : [{ startedAt: 'desc' }, { createdAt: 'desc' }],
      }),
  }),
);

const CreateSpaceInput = builder.inputType('CreateSpaceInput', {
  fields: (t) => ({
    title: t.string({ required: true, description: '1 to 100 characters.' }),
    topics: t.stringList({ description: 'Up to 3 topics, each 1 to 30 characters.' }),
    record: t.boolean({ description: 'Record the space (everyone in it sees that it is).' }),
  }),
});

builder.mutationField('createSpace', (t) =>
  t.field({
    type: Space,
    description: 'Creates a space and starts it now with the caller as host (follower-gated).',
    args: { input: t.arg({ type: CreateSpaceInput, required: true }) },
    errors: {
      types: [NotEnoughFollowers, AlreadyHosting, RecordingUnavailable],
      dataField: { name: 'space' },
    },
    resolve: async (_root, { input }, ctx) => {
      const { userId } = requireViewer(ctx);
      if (input.record) ctx.services.recordings.assertAvailable();
      const space = await ctx.services.spaces.start(userId, input);
      return input.record
        ? ctx.services.recordings.record(userId, space.id, { fromStart: true })
        : space;
    },
  }),
);

builder.mutationField('endSpace', (t) =>
  t.field({
    type: Space,
    description: 'Ends the space for everyone. Host only.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { types: [SpaceNotLive], dataField: { name: 'space' } },
    resolve: (_root, args, ctx) =>
      ctx.services.spaces.end(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
      ),
  }),
);

/**
 * What joinSpace returns: the caller's place, and what other features add to it (the media
 * feature adds the relay connection a joiner needs first, saving it a round trip).
 */
export const JoinSpaceSuccess = builder
  .objectRef<ParticipantRecord>('MutationJoinSpaceSuccess')
  .implement({
    fields: (t) => ({ participant: t.field({ type: Participant, resolve: (place) => place }) }),
  });

builder.mutationField('joinSpace', (t) =>
  t.field({
    type: JoinSpaceSuccess,
    description: 'Joins as a listener.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: {
      types: [SpaceNotLive, RemovedFromSpace, BlockedByHost, TicketRequired],
      directResult: true,
    },
    resolve: (_root, args, ctx) =>
      ctx.services.spaces.join(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
      ),
  }),
);

builder.mutationField('leaveSpace', (t) =>
  t.field({
    type: Participant,
    description:
      'Leaves the space. A leaving host hands it to a co-host, or it ends after a grace period.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { types: [SpaceNotLive], dataField: { name: 'participant' } },
    resolve: (_root, args, ctx) =>
      ctx.services.spaces.leave(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
      ),
  }),
);
