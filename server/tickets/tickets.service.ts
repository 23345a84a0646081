import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config.ts';
import { createStripeGateway } from '../payments/payments-gateway.ts';
import type { SchedulingService } from '../scheduling/scheduling.service.ts';
import type { SpaceTransactions } from '../spaces/space-transaction.ts';
import { createPaymentEvents } from './payment-events.service.ts';
import { createRefunds } from './refunds.service.ts';
import { createTicketSales } from './ticket-sales.service.ts';

/**
 * Ticketing wired together: sales, Stripe's webhook events and refunds. Without Stripe keys the
 * gateway is null and every sale is refused with TicketingUnavailable.
 */
export function createTicketService(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  scheduling: SchedulingService,
  clock: Clock,
  config: AppConfig,
) {
  const gateway = config.ticketing.stripe
    ? createStripeGateway(config.ticketing.stripe, { timeoutMs: config.ticketing.stripeTimeoutMs })
    : null;
  const refunds = createRefunds(prisma, gateway);
  const requestRefunds = (spaceId: string) =>
    void refunds.forSpace(spaceId).catch((error: unknown) => {
      console.error('ticket refunds failed; retried on the next sweep', spaceId, error);
    });
  // However a space gets canceled (by its host, or missed), its ticket holders get their money back.
  spaces.onCommitted((spaceId, events) => {
    if (events.some((e) => e.kind === 'SpaceStateChanged' && e.state === 'CANCELED')) {
      requestRefunds(spaceId);
    }
  });
  const paymentEvents = createPaymentEvents(prisma, spaces, clock, requestRefunds);
  return {
    ...createTicketSales(prisma, spaces, scheduling, gateway, clock, {
      ticketing: config.ticketing,
      publicUrl: config.publicUrl,
    }),
    gateway,
    applyPaymentEvent: paymentEvents.apply,
    retryRefunds: refunds.retryAll,
  };
}

export type TicketService = ReturnType<typeof createTicketService>;
