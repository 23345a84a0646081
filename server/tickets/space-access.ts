import type { Prisma } from '../../prisma/generated/client/client.ts';
import { TicketRequired } from '../errors.ts';
import type { SpaceGate } from '../spaces/space-gate.ts';

/**
 * The one access rule for ticketed spaces, used by joinSpace, mesh signalling and the relay
 * (guests included): the host, co-hosts and holders of an issued ticket get in; nobody else does.
 */
export const ticketGate: SpaceGate = async (db, space, userId) => {
  const offer = await db.ticketOffer.findUnique({
    where: { spaceId: space.id },
    select: { spaceId: true },
  });
  if (!offer) return;
  if (userId === null) throw new TicketRequired();
  if (space.hostId === userId) return;
  const ticket = await db.ticket.findFirst({
    where: { spaceId: space.id, buyerId: userId, state: 'ISSUED' },
    select: { id: true },
  });
  if (ticket) return;
  const cohost = await db.participant.findFirst({
    where: { spaceId: space.id, userId, role: 'COHOST', removedAt: null },
    select: { id: true },
  });
  if (!cohost) throw new TicketRequired();
};

/**
 * The same rule as a Prisma filter on spaces, for lists that cannot ask one space at a time
 * (a transcript's segments): free spaces, or ticketed ones the user hosts, co-hosts or holds.
 */
export function enterableSpaceWhere(userId: string | null): Prisma.SpaceWhereInput {
  if (userId === null) return { ticketOffer: { is: null } };
  return {
    OR: [
      { ticketOffer: { is: null } },
      { hostId: userId },
      { tickets: { some: { buyerId: userId, state: 'ISSUED' } } },
      { participants: { some: { userId, role: 'COHOST', removedAt: null } } },
    ],
  };
}
