import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { InvalidInput, NotAllowed, NotFound } from '../errors.ts';
import { outranks } from './roles.ts';
import type { EmittedEvent } from './space-transaction.ts';
import { requirePresent, type SpaceTransactions, type Tx } from './space-transaction.ts';

/** Removing people from a space and blocking them from all of one's spaces. */
export function createModerationService(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  clock: Clock,
) {
  async function expel(tx: Tx, participantId: string, emit: (event: EmittedEvent) => void) {
    const now = clock.now();
    const removed = await tx.participant.update({
      where: { id: participantId },
      data: {
        removedAt: now,
        leftAt: now,
        role: 'LISTENER',
        handRaisedAt: null,
        invitedAt: null,
        muted: true,
      },
    });
    emit({ kind: 'ParticipantLeft', participantId, removed: true });
    return removed;
  }

  return {
    /** Removes someone from the space for good: they cannot rejoin it. */
    removeParticipant: (userId: string, spaceId: string, targetUserId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const actor = await requirePresent(tx, spaceId, userId, 'remove people');
        const target = await tx.participant.findUnique({
          where: { spaceId_userId: { spaceId, userId: targetUserId } },
        });
        if (!target) throw new NotFound('Participant', targetUserId);
        if (!outranks(actor.role, target.role)) throw new NotAllowed('remove this participant');
        if (target.removedAt) return target;
        return expel(tx, target.id, emit);
      }),

    /** Blocks someone from every space you host, starting with the live one they are in. */
    async blockUser(userId: string, targetUserId: string) {
      if (userId === targetUserId) throw InvalidInput.of('userId', 'you cannot block yourself');
      const target = await prisma.user.findUnique({ where: { id: targetUserId } });
      if (!target) throw new NotFound('User', targetUserId);
      await prisma.block.upsert({
        where: { blockerId_blockedId: { blockerId: userId, blockedId: targetUserId } },
        create: { blockerId: userId, blockedId: targetUserId },
        update: {},
      });
      // Nor are they told when the blocker's scheduled spaces start.
      await prisma.reminder.deleteMany({
        where: { userId: targetUserId, space: { hostId: userId, state: 'SCHEDULED' } },
      });
      const hosting = await prisma.space.findMany({
        where: {
          hostId: userId,
          state: 'LIVE',
          participants: { some: { userId: targetUserId, leftAt: null } },
        },
        select: { id: true },
      });
      for (const { id } of hosting) {
        await spaces.inLiveSpace(id, async (tx, space, emit) => {
          const participant = await tx.participant.findUnique({
            where: { spaceId_userId: { spaceId: id, userId: targetUserId } },
          });
          if (space.hostId !== userId || !participant || participant.leftAt) return;
          await expel(tx, participant.id, emit);
        });
      }
      return target;
    },

    async unblockUser(userId: string, targetUserId: string) {
      const target = await prisma.user.findUnique({ where: { id: targetUserId } });
      if (!target) throw new NotFound('User', targetUserId);
      await prisma.block.deleteMany({ where: { blockerId: userId, blockedId: targetUserId } });
      return target;
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
