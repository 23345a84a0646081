import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BadWebhookSignature,
  type PaymentEvent,
  type PaymentsGateway,
} from './payments-gateway.ts';

export const WEBHOOK_PATH = '/api/stripe/webhook';

// Stripe's events are a few kilobytes; anything far larger is not from Stripe.
const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

async function rawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Stripe's webhook endpoint. The signature is checked over the exact bytes received (a parsed and
 * re-serialised body would not match), then the event is applied; a 2xx tells Stripe to stop
 * retrying, so a failure to apply answers 500 and Stripe delivers it again later.
 */
export function stripeWebhookHandler(
  gateway: PaymentsGateway | null,
  apply: (event: PaymentEvent) => Promise<void>,
) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: string) =>
      void res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    if (req.method !== 'POST') return reply(405, 'POST only');
    if (!gateway) return reply(404, 'Ticketing is not enabled on this server');
    let event: PaymentEvent;
    try {
      const signature = req.headers['stripe-signature'];
      event = gateway.verifyWebhook(
        await rawBody(req),
        Array.isArray(signature) ? signature[0] : signature,
      );
    } catch (error) {
      if (error instanceof BodyTooLarge) return reply(413, 'Too large');
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
