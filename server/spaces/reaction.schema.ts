import type { Participant as ParticipantRecord } from '../../prisma/generated/client/client.ts';
import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { SpaceNotLive } from '../errors.ts';
import { parseGlobalId } from '../ids.ts';
import { Participant } from './participant.schema.ts';
import { reactionEmojis } from './space-input.ts';

const SentReaction = builder
  .objectRef<{ participant: ParticipantRecord; emoji: string }>('SentReaction')
  .implement({
    fields: (t) => ({
      participant: t.field({ type: Participant, resolve: (sent) => sent.participant }),
      emoji: t.exposeString('emoji'),
    }),
  });

builder.mutationField('react', (t) =>
  t.field({
    type: SentReaction,
    description: `Sends an emoji reaction to everyone in the space: one of ${reactionEmojis.join(' ')}.`,
    args: { spaceId: t.arg.id({ required: true }), emoji: t.arg.string({ required: true }) },
    errors: { types: [SpaceNotLive], dataField: { name: 'reaction' } },
    resolve: (_root, args, ctx) =>
      ctx.services.reactions.react(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
        args.emoji,
      ),
  }),
);

builder.queryField('reactionEmojis', (t) =>
  t.stringList({ description: 'The emoji `react` accepts.', resolve: () => reactionEmojis }),
);
