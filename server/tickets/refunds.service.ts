import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { PaymentsGateway } from '../payments/payments-gateway.ts';

/** One refund per ticket, whoever asks and however often: Stripe keeps the key's first answer. */
export const refundKey = (ticketId: string) => `amphi-refund-${ticketId}`;

/**
 * Refunds for canceled ticketed spaces. Tickets are marked REFUND_PENDING first, then each is
 * refunded through Stripe; one whose request failed keeps no refund id and is asked again on the
 * next sweep. They become REFUNDED when Stripe's `charge.refunded` arrives.
 */
export function createRefunds(prisma: PrismaClient, gateway: PaymentsGateway | null) {
  async function requestFor(where: { spaceId?: string }) {
    if (!gateway) return;
    await prisma.ticket.updateMany({
      where: { ...where, state: 'ISSUED', space: { state: 'CANCELED' } },
      data: { state: 'REFUND_PENDING' },
    });
    const due = await prisma.ticket.findMany({
      where: { ...where, state: 'REFUND_PENDING', refundId: null, paymentIntentId: { not: null } },
    });
    for (const ticket of due) {
      try {
        const { refundId } = await gateway.refund(ticket.paymentIntentId!, refundKey(ticket.id));
        await prisma.ticket.update({ where: { id: ticket.id }, data: { refundId } });
      } catch (error) {
        const reason = (error as Error).message;
        console.error('stripe: refund failed, retried on the next sweep:', ticket.id, reason);
      }
    }
  }

  return {
    /** Refunds what a space owes (after it was canceled, or a payment came too late). */
    forSpace: (spaceId: string) => requestFor({ spaceId }),
    /** Retries every refund still unrequested; run by the sweeper. */
    retryAll: () => requestFor({}),
  };
}
