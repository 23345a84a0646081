import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { parseGlobalId } from '../ids.ts';
import { User } from './user.schema.ts';

builder.mutationField('follow', (t) =>
  t.field({
    type: User,
    description: 'Follows a user; following someone twice changes nothing.',
    args: { userId: t.arg.id({ required: true }) },
    errors: { dataField: { name: 'user' } },
    resolve: (_root, args, ctx) =>
      ctx.services.follows.follow(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.userId), 'User', 'userId'),
      ),
  }),
);

builder.mutationField('unfollow', (t) =>
  t.field({
    type: User,
    args: { userId: t.arg.id({ required: true }) },
    errors: { dataField: { name: 'user' } },
    resolve: (_root, args, ctx) =>
      ctx.services.follows.unfollow(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.userId), 'User', 'userId'),
      ),
  }),
);
