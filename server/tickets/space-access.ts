import type { Prisma } from '../../prisma/generated/client/client.ts';
import { TicketRequired } from '../errors.ts';
import type { SpaceGate } from '../spaces/space-gate.ts';

/** Spaces whose ticketing is remembered; past it the oldest is forgotten (and read again). */
const REMEMBERED_SPACES = 10_000;

/**
 * The one access rule for ticketed spaces, used by joinSpace, mesh signalling and the relay
 * (guests included): the host, co-hosts and holders of an issued ticket get in; nobody else does.
 *
 * Whether a space sells tickets is remembered: its offer is created in the transaction that
 * creates the space (scheduleTicketed) and goes only with it, so the answer never changes, and
 * every mesh signal and relay session of a free space is spared a query. Who holds a ticket or
 * co-hosts is read on every call: refunds and removals take effect at once.
 */
export function createTicketGate(): SpaceGate {
  const ticketed = new Map<string, boolean>();

  async function sellsTickets(db: Parameters<SpaceGate>[0], spaceId: string) {
    const known = ticketed.get(spaceId);
    if (known !== undefined) return known;
    const offer = await db.ticketOffer.findUnique({
      where: { spaceId },
      select: { spaceId: true },
    });
    if (ticketed.size >= REMEMBERED_SPACES) {
      const oldest = ticketed.keys().next();
      if (!oldest.done) ticketed.delete(oldest.value);
    }
    ticketed.set(spaceId, offer !== null);
    return offer !== null;
  }

  return async (db, space, userId) => {
    if (!(await sellsTickets(db, space.id))) return;
    if (userId === null) throw new TicketRequired();
    const hostId =
      space.hostId ??
      (await db.space.findUnique({ where: { id: space.id }, select: { hostId: true } }))?.hostId;
    if (hostId === userId) return;
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
}

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
