import type { PrismaClient, Ticket } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import type { TicketingConfig } from '../config.ts';
import { BlockedByHost, NotAllowed } from '../errors.ts';
import { toGlobalId } from '../ids.ts';
import type { PaymentsGateway } from '../payments/payments-gateway.ts';
import type { SchedulingService } from '../scheduling/scheduling.service.ts';
import type { SpaceTransactions } from '../spaces/space-transaction.ts';
import { parseInput } from '../validation.ts';
import { seatsTaken } from './seats.ts';
import {
  AlreadyHoldsTicket,
  NotTicketed,
  SalesClosed,
  SoldOut,
  TicketingUnavailable,
} from './ticket-errors.ts';
import { ticketOfferSchema } from './ticket-input.ts';

type TicketedSpaceInput = {
  title: string;
  topics?: string[] | null;
  scheduledStart: Date;
  priceMinor: number;
  currency: string;
  seats: number;
  salesEndAt: Date;
};

export type TicketSalesOptions = { ticketing: TicketingConfig; publicUrl: string };

/** Creating ticketed spaces and selling their seats through Stripe Checkout. */
export function createTicketSales(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  scheduling: SchedulingService,
  gateway: PaymentsGateway | null,
  clock: Clock,
  options: TicketSalesOptions,
) {
  const { ticketing, publicUrl } = options;

  function requireGateway() {
    if (!gateway) throw new TicketingUnavailable();
    return gateway;
  }

  /** Holds a seat for the buyer under the space's lock, or hands back their open checkout. */
  const holdSeat = (userId: string, spaceId: string) =>
    spaces.inSpace(spaceId, async (tx, space) => {
      const offer = await tx.ticketOffer.findUnique({ where: { spaceId } });
      if (!offer) throw new NotTicketed();
      if (space.hostId === userId) throw new NotAllowed('buy a ticket to a space you host');
      const now = clock.now();
      const selling = space.state === 'SCHEDULED' || space.state === 'LIVE';
      if (!selling || offer.salesEndAt <= now) throw new SalesClosed();
      const blocked = await tx.block.findUnique({
        where: { blockerId_blockedId: { blockerId: space.hostId, blockedId: userId } },
      });
      if (blocked) throw new BlockedByHost();
      const mine = await tx.ticket.findMany({
        where: { spaceId, buyerId: userId, state: { in: ['ISSUED', 'PENDING'] } },
      });
      if (mine.some((ticket) => ticket.state === 'ISSUED')) throw new AlreadyHoldsTicket();
      const open = mine.find((ticket) => ticket.holdExpiresAt > now);
      // Buying twice while a checkout is open returns that checkout rather than holding two seats.
      if (open) return { ticket: open, title: space.title, fresh: false };
      if ((await seatsTaken(tx, spaceId, now)) >= offer.seats) throw new SoldOut(offer.seats);
      const ticket = await tx.ticket.create({
        data: {
          spaceId,
          buyerId: userId,
          priceMinor: offer.priceMinor,
          currency: offer.currency,
          createdAt: now,
          holdExpiresAt: new Date(now.getTime() + ticketing.holdMs),
        },
      });
      return { ticket, title: space.title, fresh: true };
    });

  async function openCheckout(
    stripe: PaymentsGateway,
    ticket: Ticket,
    title: string,
  ): Promise<Ticket> {
    try {
      const { sessionId, url } = await stripe.createCheckout({
        ticketId: ticket.id,
        description: `Ticket: ${title}`,
        priceMinor: ticket.priceMinor,
        currency: ticket.currency,
        expiresAt: ticket.holdExpiresAt,
        // Stripe fills in {CHECKOUT_SESSION_ID} itself.
        successUrl: `${new URL('/tickets/return', publicUrl).href}?session_id={CHECKOUT_SESSION_ID}`,
        cancelUrl: new URL(`/spaces/${toGlobalId('Space', ticket.spaceId)}`, publicUrl).href,
      });
      return await prisma.ticket.update({
        where: { id: ticket.id },
        data: { checkoutSessionId: sessionId, checkoutUrl: url },
      });
    } catch (error) {
      // No session means nobody can pay for this hold: give the seat back at once. Should Stripe
      // have created the session after all, nobody has its URL; a payment on it would still be
      // settled by the webhook (issued if a seat is free, else refunded).
      await prisma.ticket
        .updateMany({ where: { id: ticket.id, state: 'PENDING' }, data: { state: 'RELEASED' } })
        .catch((release: unknown) => console.error('tickets: could not release a hold', release));
      console.error('stripe: could not create a Checkout Session:', (error as Error).message);
      throw error;
    }
  }

  return {
    /** Schedules a space that sells tickets; the host needs the ticketed follower threshold. */
    scheduleTicketed(userId: string, input: TicketedSpaceInput) {
      requireGateway();
      const offer = parseInput(ticketOfferSchema(clock.now(), input.scheduledStart, ticketing), {
        priceMinor: input.priceMinor,
        currency: input.currency,
        seats: input.seats,
        salesEndAt: input.salesEndAt,
      });
      return scheduling.schedule(userId, input, {
        ticketed: true,
        create: (tx, space) => tx.ticketOffer.create({ data: { spaceId: space.id, ...offer } }),
      });
    },

    /**
     * Holds a seat and opens a Stripe Checkout Session for it; the ticket is issued only when
     * Stripe reports the payment (webhook). Returns the hold with the Checkout URL.
     */
    async buy(userId: string, spaceId: string): Promise<Ticket> {
      const stripe = requireGateway();
      const { ticket, title, fresh } = await holdSeat(userId, spaceId);
      if (!fresh && ticket.checkoutUrl) return ticket;
      if (!fresh) throw new NotAllowed('start a second checkout while one is being opened');
      return openCheckout(stripe, ticket, title);
    },

    /** Seats neither sold nor held by an open checkout. */
    async seatsLeft(spaceId: string, seats: number) {
      const taken = await prisma.$transaction((tx) => seatsTaken(tx, spaceId, clock.now()));
      return Math.max(0, seats - taken);
    },

    /** The caller's tickets, newest first; abandoned checkouts are left out. */
    mine: (userId: string) =>
      prisma.ticket.findMany({
        where: { buyerId: userId, state: { not: 'RELEASED' } },
        orderBy: { createdAt: 'desc' },
      }),

    /** The caller's ticket for a Checkout Session, for the page Stripe returns to. */
    forCheckout: (userId: string, sessionId: string) =>
      prisma.ticket.findFirst({ where: { buyerId: userId, checkoutSessionId: sessionId } }),

    /** What a ticketed space sold; host only. */
    async sales(userId: string, space: { id: string; hostId: string }) {
      if (space.hostId !== userId) throw new NotAllowed('see the sales of a space you do not host');
      const tickets = await prisma.ticket.findMany({
        where: { spaceId: space.id, state: { not: 'RELEASED' } },
        orderBy: { createdAt: 'asc' },
      });
      const count = (state: Ticket['state']) => tickets.filter((t) => t.state === state).length;
      const issued = tickets.filter((t) => t.state === 'ISSUED');
      const now = clock.now();
      return {
        sold: issued.length,
        pending: tickets.filter((t) => t.state === 'PENDING' && t.holdExpiresAt > now).length,
        refundPending: count('REFUND_PENDING'),
        refunded: count('REFUNDED'),
        grossMinor: issued.reduce((sum, t) => sum + t.priceMinor, 0),
        tickets,
      };
    },
  };
}

export type TicketSales = ReturnType<typeof createTicketSales>;
