import type {
  Notification,
  NotificationKind,
  PrismaClient,
} from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import type { Tx } from '../spaces/space-transaction.ts';

/** What crosses the bus for one stored notification; subscribers read the row itself. */
export type NotificationMessage = { notificationId: string; userId: string };

export type NotificationBus = {
  publish(message: NotificationMessage): void;
  subscribe(userId: string): AsyncIterable<NotificationMessage>;
};

/** Stored notifications, told live to their users once the change that caused them commits. */
export function createNotificationService(
  prisma: PrismaClient,
  bus: NotificationBus,
  clock: Clock,
) {
  return {
    /** Stores one notification per user inside the caller's transaction; publish them after. */
    record: (
      tx: Tx,
      userIds: readonly string[],
      kind: NotificationKind,
      spaceId: string,
    ): Promise<Notification[]> => {
      if (userIds.length === 0) return Promise.resolve([]);
      const createdAt = clock.now();
      return tx.notification.createManyAndReturn({
        data: userIds.map((userId) => ({ userId, kind, spaceId, createdAt })),
      });
    },

    /** Tells each user of their notification; call only once the rows have committed. */
    publish(notifications: readonly Notification[]) {
      for (const { id, userId } of notifications) {
        bus.publish({ notificationId: id, userId });
      }
    },

    /** Marks the given notifications (all unread ones when `ids` is omitted) as read. */
    async markRead(userId: string, ids: readonly string[] | null | undefined) {
      const { count } = await prisma.notification.updateMany({
        where: { userId, readAt: null, ...(ids ? { id: { in: [...ids] } } : {}) },
        data: { readAt: clock.now() },
      });
      return count;
    },

    subscribe: (userId: string) => bus.subscribe(userId),
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
