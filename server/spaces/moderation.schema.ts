import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { parseGlobalId } from '../ids.ts';
import { User } from '../users/user.schema.ts';
import { targetMutation } from './participant-mutation.ts';

targetMutation(
  'removeParticipant',
  'Host team: removes someone from the space; they cannot rejoin it.',
  (services, userId, spaceId, target) =>
    services.moderation.removeParticipant(userId, spaceId, target),
);

builder.mutationField('blockUser', (t) =>
  t.field({
    type: User,
    description:
      'Blocks a user from every space the caller hosts, removing them from a live one now.',
    args: { userId: t.arg.id({ required: true }) },
    errors: { dataField: { name: 'user' } },
    resolve: (_root, args, ctx) =>
      ctx.services.moderation.blockUser(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.userId), 'User', 'userId'),
      ),
  }),
);

builder.mutationField('unblockUser', (t) =>
  t.field({
    type: User,
    args: { userId: t.arg.id({ required: true }) },
    errors: { dataField: { name: 'user' } },
    resolve: (_root, args, ctx) =>
      ctx.services.moderation.unblockUser(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.userId), 'User', 'userId'),
      ),
  }),
);
