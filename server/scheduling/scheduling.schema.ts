import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import {
  AlreadyHosting,
  BlockedByHost,
  LimitReached,
  NotEnoughFollowers,
  SpaceNotScheduled,
} from '../errors.ts';
import { parseGlobalId } from '../ids.ts';
import { RecordingUnavailable } from '../recordings/recording-errors.ts';
import { Space } from '../spaces/space.schema.ts';
import { calendarPath } from './calendar.service.ts';

builder.prismaObjectFields('Space', (t) => ({
  scheduledStart: t.expose('scheduledStart', {
    type: 'DateTime',
    nullable: true,
    description: 'When a scheduled space is meant to start (UTC).',
  }),
  reminderCount: t.relationCount('reminders', {
    description: 'How many people asked to be told when it starts (X: subscriber_count).',
  }),
  viewerHasReminder: t.boolean({
    description: 'Whether the caller set a reminder; false when signed out.',
    resolve: (space, _args, ctx) =>
      ctx.viewer ? ctx.services.reminders.has(ctx.viewer.userId, space.id) : false,
  }),
  calendarUrl: t.string({
    nullable: true,
    description: 'An iCalendar (.ics) file for a scheduled space.',
    resolve: (space, _args, ctx) =>
      space.scheduledStart
        ? new URL(calendarPath(space.id), ctx.services.config.publicUrl).href
        : null,
  }),
}));

builder.prismaObjectFields('User', (t) => ({
  upcomingSpaces: t.relatedConnection('hostedSpaces', {
    cursor: 'id',
    description: 'Spaces this user has scheduled and not yet started, soonest first.',
    query: () => ({
      where: { state: 'SCHEDULED' },
      orderBy: [{ scheduledStart: 'asc' }, { id: 'asc' }],
    }),
  }),
}));

const ScheduleSpaceInput = builder.inputType('ScheduleSpaceInput', {
  fields: (t) => ({
    title: t.string({ required: true, description: '1 to 100 characters.' }),
    topics: t.stringList({ description: 'Up to 3 topics, each 1 to 30 characters.' }),
    scheduledStart: t.field({
      type: 'DateTime',
      required: true,
      description: 'In the future, at most 30 days ahead (configurable).',
    }),
  }),
});

const UpdateScheduledSpaceInput = builder.inputType('UpdateScheduledSpaceInput', {
  description: 'Omitted fields stay as they are.',
  fields: (t) => ({
    title: t.string(),
    topics: t.stringList(),
    scheduledStart: t.field({ type: 'DateTime' }),
  }),
});

const spaceIdArg = (id: string | number) => parseGlobalId(String(id), 'Space', 'spaceId');

builder.mutationField('scheduleSpace', (t) =>
  t.field({
    type: Space,
    description:
      'Schedules a space for later with the caller as host (follower-gated); at most 10 upcoming.',
    args: { input: t.arg({ type: ScheduleSpaceInput, required: true }) },
    errors: { types: [NotEnoughFollowers, LimitReached], dataField: { name: 'space' } },
    resolve: (_root, { input }, ctx) =>
      ctx.services.scheduling.schedule(requireViewer(ctx).userId, input),
  }),
);

builder.mutationField('updateScheduledSpace', (t) =>
  t.field({
    type: Space,
    description: "Changes a scheduled space's title, topics or start time. Host only.",
    args: {
      spaceId: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateScheduledSpaceInput, required: true }),
    },
    errors: { types: [SpaceNotScheduled], dataField: { name: 'space' } },
    resolve: (_root, args, ctx) =>
      ctx.services.scheduling.update(
        requireViewer(ctx).userId,
        spaceIdArg(args.spaceId),
        args.input,
      ),
  }),
);

builder.mutationField('cancelScheduledSpace', (t) =>
  t.field({
    type: Space,
    description: 'Cancels a scheduled space; everyone with a reminder is told. Host only.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { types: [SpaceNotScheduled], dataField: { name: 'space' } },
    resolve: (_root, args, ctx) =>
      ctx.services.scheduling.cancel(requireViewer(ctx).userId, spaceIdArg(args.spaceId)),
  }),
);

builder.mutationField('startScheduledSpace', (t) =>
  t.field({
    type: Space,
    description: 'Starts a scheduled space now; everyone with a reminder is told. Host only.',
    args: {
      spaceId: t.arg.id({ required: true }),
      record: t.arg.boolean({ description: 'Record the space (everyone sees that it is).' }),
    },
    errors: {
      types: [SpaceNotScheduled, AlreadyHosting, RecordingUnavailable],
      dataField: { name: 'space' },
    },
    resolve: async (_root, args, ctx) => {
      const { userId } = requireViewer(ctx);
      if (args.record) ctx.services.recordings.assertAvailable();
      const space = await ctx.services.scheduling.start(userId, spaceIdArg(args.spaceId));
      return args.record
        ? ctx.services.recordings.record(userId, space.id, { fromStart: true })
        : space;
    },
  }),
);

builder.mutationField('setReminder', (t) =>
  t.field({
    type: Space,
    description: 'Asks to be told when a scheduled space starts (or is canceled). Idempotent.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { types: [SpaceNotScheduled, BlockedByHost], dataField: { name: 'space' } },
    resolve: (_root, args, ctx) =>
      ctx.services.reminders.set(requireViewer(ctx).userId, spaceIdArg(args.spaceId)),
  }),
);

builder.mutationField('removeReminder', (t) =>
  t.field({
    type: Space,
    description: 'Removes the caller’s reminder. Idempotent.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { dataField: { name: 'space' } },
    resolve: (_root, args, ctx) =>
      ctx.services.reminders.remove(requireViewer(ctx).userId, spaceIdArg(args.spaceId)),
  }),
);
