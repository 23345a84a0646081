import { z } from 'zod';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { NotAllowed, NotFound, SpaceNotLive } from '../errors.ts';
import { parseInput } from '../validation.ts';
import type { ReactionBatcher } from './reaction-batcher.ts';
import { reactionSchema } from './space-input.ts';

/** Emoji reactions: anyone in a live space may send them; they are shown, not stored. */
export function createReactionService(prisma: PrismaClient, batcher: ReactionBatcher) {
  return {
    async react(userId: string, spaceId: string, emoji: string) {
      const { emoji: validEmoji } = parseInput(z.object({ emoji: reactionSchema }), { emoji });
      const space = await prisma.space.findUnique({ where: { id: spaceId } });
      if (!space) throw new NotFound('Space', spaceId);
      if (space.state !== 'LIVE') throw new SpaceNotLive(space.state);
      const participant = await prisma.participant.findUnique({
        where: { spaceId_userId: { spaceId, userId } },
      });
      if (!participant || participant.leftAt)
        throw new NotAllowed('react without joining the space');
      batcher.add(spaceId, participant.id, validEmoji);
      return { participant, emoji: validEmoji };
    },
  };
}

export type ReactionService = ReturnType<typeof createReactionService>;
