import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import type { PaymentEvent } from '../payments/payments-gateway.ts';
import type { SpaceTransactions, Tx } from '../spaces/space-transaction.ts';
import { seatsTaken } from './seats.ts';

/** Records the event as applied; false when it already was (a duplicate or a replay). */
async function claim(tx: Tx, event: PaymentEvent, now: Date) {
  const { count } = await tx.paymentEvent.createMany({
    data: { id: event.id, type: event.type, receivedAt: now },
    skipDuplicates: true,
  });
  return count === 1;
}

/**
 * Applies Stripe's webhook events to tickets. Each event is applied once: its id is stored in the
 * same transaction as its effect. Out of order:
 * - `expired` after `completed`: the ticket stands (the buyer paid).
 * - `completed` after `expired`, or after the hold lapsed: the ticket is issued if a seat is still
 *   free and the space still on; otherwise the payment is refunded (REFUND_PENDING), never oversold.
 */
export function createPaymentEvents(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  clock: Clock,
  /** Asks Stripe to refund tickets marked REFUND_PENDING, after the marking has committed. */
  requestRefunds: (spaceId: string) => void,
) {
  async function withoutTicket(event: PaymentEvent) {
    await prisma.$transaction((tx) => claim(tx, event, clock.now()));
  }

  async function completed(event: Extract<PaymentEvent, { type: 'checkout.session.completed' }>) {
    const ticket =
      (await prisma.ticket.findUnique({ where: { checkoutSessionId: event.sessionId } })) ??
      // The session's id is stored just after Stripe creates it; the reference covers the gap.
      (event.ticketId
        ? await prisma.ticket.findFirst({ where: { id: event.ticketId, checkoutSessionId: null } })
        : null);
    if (!ticket) return withoutTicket(event);
    const refund = await spaces.inSpace(ticket.spaceId, async (tx, space) => {
      const now = clock.now();
      if (!(await claim(tx, event, now))) return false;
      // Delayed payment methods complete unpaid; Amphi's sessions take cards only.
      if (!event.paid) return false;
      const current = await tx.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      if (current.state !== 'PENDING' && current.state !== 'RELEASED') return false;
      const offer = await tx.ticketOffer.findUniqueOrThrow({ where: { spaceId: space.id } });
      const stillHeld = current.state === 'PENDING' && current.holdExpiresAt > now;
      const onSale = space.state === 'SCHEDULED' || space.state === 'LIVE';
      const holder = await tx.ticket.findFirst({
        where: { spaceId: space.id, buyerId: current.buyerId, state: 'ISSUED' },
      });
      const seatFree = stillHeld || (await seatsTaken(tx, space.id, now)) < offer.seats;
      const issue = onSale && seatFree && !holder;
      await tx.ticket.update({
        where: { id: current.id },
        data: {
          state: issue ? 'ISSUED' : 'REFUND_PENDING',
          issuedAt: issue ? now : null,
          paymentIntentId: event.paymentIntentId,
          checkoutSessionId: event.sessionId,
        },
      });
      return !issue;
    });
    if (refund) requestRefunds(ticket.spaceId);
  }

  async function expired(event: Extract<PaymentEvent, { type: 'checkout.session.expired' }>) {
    const ticket = await prisma.ticket.findUnique({
      where: { checkoutSessionId: event.sessionId },
    });
    if (!ticket) return withoutTicket(event);
    await spaces.inSpace(ticket.spaceId, async (tx) => {
      if (!(await claim(tx, event, clock.now()))) return;
      await tx.ticket.updateMany({
        where: { id: ticket.id, state: 'PENDING' },
        data: { state: 'RELEASED' },
      });
    });
  }

  async function refunded(event: Extract<PaymentEvent, { type: 'charge.refunded' }>) {
    const ticket = event.paymentIntentId
      ? await prisma.ticket.findUnique({ where: { paymentIntentId: event.paymentIntentId } })
      : null;
    if (!ticket || !event.fullyRefunded) return withoutTicket(event);
    await spaces.inSpace(ticket.spaceId, async (tx) => {
      const now = clock.now();
      if (!(await claim(tx, event, now))) return;
      // ISSUED too: a refund made in Stripe's dashboard takes the ticket back.
      await tx.ticket.updateMany({
        where: { id: ticket.id, state: { in: ['ISSUED', 'REFUND_PENDING'] } },
        data: { state: 'REFUNDED', refundedAt: now },
      });
    });
  }

  return {
    async apply(event: PaymentEvent) {
      switch (event.type) {
        case 'checkout.session.completed':
          return completed(event);
        case 'checkout.session.expired':
          return expired(event);
        case 'charge.refunded':
          return refunded(event);
        case 'ignored':
          return;
      }
    },
  };
}
