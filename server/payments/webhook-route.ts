import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BadWebhookSignature,
  type PaymentEvent,
  type PaymentsGateway,
} from './payments-gateway.ts';

export const WEBHOOK_PATH = '/api/stripe/webhook';

/**
 * Stripe's webhook endpoint. The signature is checked over the exact bytes received (a parsed and
 * re-serialised body would not match), then the event is applied; a 2xx tells Stripe to stop
 * retrying, so a failure to apply answers 500 and Stripe delivers it again later. The router reads
 * the body (within its size limit) and hands it over.
 */
export function stripeWebhookHandler(
  gateway: PaymentsGateway | null,
  apply: (event: PaymentEvent) => Promise<void>,
) {
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const reply = (status: number, message: string) =>
      void res.writeHead(status, { 'content-type': 'text/plain' }).end(message);
    if (req.method !== 'POST') return reply(405, 'POST only');
    if (!gateway) return reply(404, 'Ticketing is not enabled on this server');
    let event: PaymentEvent;
    try {
      const signature = req.headers['stripe-signature'];
      event = gateway.verifyWebhook(body, Array.isArray(signature) ? signature[0] : signature);
    } catch (error) {
      if (error instanceof BadWebhookSignature) return reply(400, 'Bad signature');
      throw error;
    }
    try {
      await apply(event);
      reply(200, 'ok');
    } catch (error) {
      console.error('stripe webhook: could not apply', event.id, error);
      reply(500, 'Could not apply the event; retry later');
    }
  };
}
