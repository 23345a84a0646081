import Stripe from 'stripe';
import type { StripeConfig } from '../config.ts';

/** What a ticket sale asks of the payment provider. */
export type CheckoutRequest = {
  /** Our hold's id: the session's client_reference_id, so a completed payment finds its seat. */
  ticketId: string;
  description: string;
  priceMinor: number;
  currency: string;
  /** When the session stops accepting payment; Stripe allows 30 minutes to 24 hours ahead. */
  expiresAt: Date;
  successUrl: string;
  cancelUrl: string;
};

/** The webhook events ticketing acts on, reduced to what it needs; the rest are `ignored`. */
export type PaymentEvent = { id: string } & (
  | {
      type: 'checkout.session.completed';
      sessionId: string;
      ticketId: string | null;
      paymentIntentId: string | null;
      paid: boolean;
    }
  | { type: 'checkout.session.expired'; sessionId: string }
  | { type: 'charge.refunded'; paymentIntentId: string | null; fullyRefunded: boolean }
  | { type: 'ignored'; stripeType: string }
);

export class BadWebhookSignature extends Error {}

/** The one place that talks to Stripe: Checkout Sessions, refunds and webhook verification. */
export type PaymentsGateway = {
  createCheckout(request: CheckoutRequest): Promise<{ sessionId: string; url: string }>;
  /** Refunds a payment in full; the same key always names the same refund. */
  refund(paymentIntentId: string, idempotencyKey: string): Promise<{ refundId: string }>;
  /** Checks Stripe's signature over the raw body, or throws BadWebhookSignature. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): PaymentEvent;
};

const idOf = (value: string | { id: string } | null) =>
  typeof value === 'string' ? value : (value?.id ?? null);

export function createStripeGateway(
  config: StripeConfig,
  options: {
    /** How long one call may take before it counts as an outage. @default 10_000 */
    timeoutMs: number;
  },
): PaymentsGateway {
  const stripe = new Stripe(config.secretKey, {
    ...(config.api ?? {}),
    // Retries would hide a failed call from the caller, who keeps the hold or retries the refund.
    // (stripe-node still retries a dropped connection once; the idempotency keys make that safe.)
    maxNetworkRetries: 0,
    // stripe-node's default, 80 s, would hold a buyer and their seat that long on a hung call.
    timeout: options.timeoutMs,
    appInfo: { name: 'Amphi' },
  });

  return {
    async createCheckout(request) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: request.ticketId,
          metadata: { ticketId: request.ticketId },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency,
                unit_amount: request.priceMinor,
                product_data: { name: request.description },
              },
            },
          ],
          expires_at: Math.floor(request.expiresAt.getTime() / 1000),
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: `amphi-checkout-${request.ticketId}` },
      );
      if (!session.url) throw new Error(`Checkout Session ${session.id} came back without a url`);
      return { sessionId: session.id, url: session.url };
    },

    async refund(paymentIntentId, idempotencyKey) {
      const refund = await stripe.refunds.create(
        { payment_intent: paymentIntentId, metadata: { source: 'amphi-space-canceled' } },
        { idempotencyKey },
      );
      return { refundId: refund.id };
    },

    verifyWebhook(rawBody, signature) {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature ?? '', config.webhookSecret);
      } catch (error) {
        throw new BadWebhookSignature(error instanceof Error ? error.message : String(error));
      }
      switch (event.type) {
        case 'checkout.session.completed': {
          const session = event.data.object;
          return {
            id: event.id,
            type: event.type,
            sessionId: session.id,
            ticketId: session.client_reference_id ?? session.metadata?.['ticketId'] ?? null,
            paymentIntentId: idOf(session.payment_intent),
            paid: session.payment_status === 'paid',
          };
        }
        case 'checkout.session.expired':
          return { id: event.id, type: event.type, sessionId: event.data.object.id };
        case 'charge.refunded': {
          const charge = event.data.object;
          return {
            id: event.id,
            type: event.type,
            paymentIntentId: idOf(charge.payment_intent),
            fullyRefunded: charge.refunded,
          };
        }
        default:
          return { id: event.id, type: 'ignored', stripeType: event.type };
      }
    },
  };
}
