import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { toGlobalId } from '../ids.ts';
import { toIcs } from './ics.ts';

/** Where a space is shared, and where its calendar file is served. */
export const spacePath = (spaceId: string) => `/spaces/${toGlobalId('Space', spaceId)}`;
export const calendarPath = (spaceId: string) =>
  `/spaces/${encodeURIComponent(toGlobalId('Space', spaceId))}.ics`;

/** `.ics` files for scheduled spaces, so people can add them to their calendars. */
export function createCalendarService(prisma: PrismaClient, clock: Clock, publicUrl: string) {
  return {
    /** The space's calendar file, or null when it is not a space that was scheduled. */
    async forSpace(spaceId: string) {
      const space = await prisma.space.findUnique({
        where: { id: spaceId },
        include: { host: { select: { handle: true, name: true } } },
      });
      if (!space?.scheduledStart) return null;
      const host = new URL(publicUrl).hostname;
      return toIcs({
        uid: `${space.id}@${host}`,
        stamp: clock.now(),
        start: space.scheduledStart,
        summary: space.title,
        description: `A space hosted by ${space.host.name} (@${space.host.handle}) on Amphi.`,
        url: new URL(spacePath(space.id), publicUrl).href,
        canceled: space.state === 'CANCELED',
      });
    },
  };
}
