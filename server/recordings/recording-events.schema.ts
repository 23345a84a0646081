import { builder } from '../builder.ts';
import { parseGlobalId } from '../ids.ts';
import { Recording } from './recording.schema.ts';

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
