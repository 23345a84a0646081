import { builder } from '../builder.ts';
import { parseGlobalId } from '../ids.ts';
import type { SpaceEventOf } from '../spaces/space-event.ts';
import { SpaceEvent } from '../spaces/space-events.schema.ts';
import { Recording } from './recording.schema.ts';

builder.objectRef<SpaceEventOf<'RecordingStarted'>>('RecordingStarted').implement({
  description:
    'The host started recording the space: everyone in it is told, so the room shows it is recorded.',
  interfaces: [SpaceEvent],
  fields: (t) => ({
    recording: t.field({
      type: Recording,
      resolve: (event, _args, ctx) =>
        ctx.prisma.recording.findUniqueOrThrow({ where: { spaceId: event.spaceId } }),
    }),
  }),
});

builder.subscriptionField('recordingSettled', (t) =>
  t.field({
    type: Recording,
    description:
      'Tells once when a space’s recording is READY to play (or FAILED), at once if it already is, then completes. For a page waiting to replay a space that just ended. NotFound when the space has no recording.',
    args: { spaceId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const spaceId = parseGlobalId(String(args.spaceId), 'Space', 'spaceId');
      const space = await ctx.services.spaces.requireObservable(spaceId);
      return ctx.services.replay.settled(space.id);
    },
    resolve: (recording) => recording,
  }),
);
