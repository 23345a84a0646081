import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { SpaceNotScheduled } from '../errors.ts';
import { assertNotBlockedByHost } from '../spaces/blocks.ts';
import type { SpaceTransactions, Tx } from '../spaces/space-transaction.ts';

/** Everyone who asked to be told about a space. */
export async function reminderHolders(tx: Tx, spaceId: string) {
  const reminders = await tx.reminder.findMany({ where: { spaceId }, select: { userId: true } });
  return reminders.map((reminder) => reminder.userId);
}

/** Setting and removing reminders ("tell me when it starts") on scheduled spaces. */
export function createReminderService(prisma: PrismaClient, spaces: SpaceTransactions) {
  return {
    /**
     * Idempotent. Under the space's lock, so a reminder set as the host starts the space is either
     * told or refused, never lost.
     */
    set: (userId: string, spaceId: string) =>
      spaces.inSpace(spaceId, async (tx, space) => {
        if (space.state !== 'SCHEDULED') throw new SpaceNotScheduled(space.state);
        await assertNotBlockedByHost(tx, space.hostId, userId);
        await tx.reminder.upsert({
          where: { userId_spaceId: { userId, spaceId } },
          create: { userId, spaceId },
          update: {},
        });
        return space;
      }),

    /** Idempotent; allowed in any state. */
    remove: (userId: string, spaceId: string) =>
      spaces.inSpace(spaceId, async (tx, space) => {
        await tx.reminder.deleteMany({ where: { userId, spaceId } });
        return space;
      }),

    async has(userId: string, spaceId: string) {
      const reminder = await prisma.reminder.findUnique({
        where: { userId_spaceId: { userId, spaceId } },
      });
      return reminder !== null;
    },
  };
}

export type ReminderService = ReturnType<typeof createReminderService>;
