import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** One request stripe-node made, as the server received it. */
export type StripeRequest = {
  method: string;
  path: string;
  /** The form-encoded body, flat: `line_items[0][price_data][unit_amount]` → '500'. */
  form: Record<string, string>;
  idempotencyKey: string | undefined;
  stripeVersion: string | undefined;
  authorization: string | undefined;
};

type Json = Record<string, unknown>;

const stripeId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const unix = (date = new Date()) => Math.floor(date.getTime() / 1000);

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * A local stand-in for the part of Stripe's API Amphi uses (Checkout Sessions, refunds), answering
 * with Stripe's documented object shapes, so tests run stripe-node's real client code paths. Like
 * Stripe, a repeated Idempotency-Key gets the first answer again.
 */
export async function startStripeServer() {
  const requests: StripeRequest[] = [];
  let checkoutUrlBase: string | undefined;
  const sessions = new Map<string, Json>();
  const refunds = new Map<string, Json>();
  const byIdempotencyKey = new Map<string, Json>();
  let failures = 0;
  let hangs = 0;
  let resets = 0;

  function createSession(form: Record<string, string>): Json {
    const id = stripeId('cs');
    const amount = Number(form['line_items[0][price_data][unit_amount]']);
    const base = checkoutUrlBase ?? 'https://checkout.stripe.test/c/pay';
    return {
      id,
      object: 'checkout.session',
      after_expiration: null,
      allow_promotion_codes: null,
      amount_subtotal: amount,
      amount_total: amount,
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_address_collection: null,
      cancel_url: form['cancel_url'] ?? null,
      client_reference_id: form['client_reference_id'] ?? null,
      client_secret: null,
      created: unix(),
      currency: form['line_items[0][price_data][currency]'] ?? null,
      customer: null,
      customer_creation: 'if_required',
      customer_details: null,
      customer_email: null,
      expires_at: Number(form['expires_at']),
      invoice: null,
      livemode: false,
      locale: null,
      metadata: Object.fromEntries(
        Object.entries(form)
          .filter(([key]) => key.startsWith('metadata['))
          .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
      ),
      mode: form['mode'],
      payment_intent: null,
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      status: 'open',
      success_url: (form['success_url'] ?? '').replace('{CHECKOUT_SESSION_ID}', id),
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      url: checkoutUrlBase
        ? `${base}?session_id=${id}`
        : `${base}/${id}#${randomBytes(8).toString('hex')}`,
    };
  }

  function createRefund(form: Record<string, string>): Json {
    const id = stripeId('re');
    return {
      id,
      object: 'refund',
      amount: 0,
      balance_transaction: null,
      charge: stripeId('ch'),
      created: unix(),
      currency: 'usd',
      metadata: Object.fromEntries(
        Object.entries(form)
          .filter(([key]) => key.startsWith('metadata['))
          .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
      ),
      payment_intent: form['payment_intent'] ?? null,
      reason: null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'pending',
      transfer_reversal: null,
    };
  }

  const server = createServer(async (req, res) => {
    const form = await readForm(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const request: StripeRequest = {
      method: req.method ?? 'GET',
      path,
      form,
      idempotencyKey: header('idempotency-key'),
      stripeVersion: header('stripe-version'),
      authorization: header('authorization'),
    };
    requests.push(request);
    if (hangs > 0) {
      hangs--;
      return;
    }
    if (resets > 0) {
      resets--;
      return void req.socket.destroy();
    }
    const send = (status: number, body: Json) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'request-id': stripeId('req') })
        .end(JSON.stringify(body));
    if (failures > 0) {
      failures--;
      return void send(500, {
        error: { type: 'api_error', message: 'Something went wrong on Stripe’s end.' },
      });
    }
    const key = request.idempotencyKey && `${request.method} ${path} ${request.idempotencyKey}`;
    const replayed = key ? byIdempotencyKey.get(key) : undefined;
    if (replayed) return void send(200, replayed);
    let body: Json | undefined;
    if (req.method === 'POST' && path === '/v1/checkout/sessions') {
      body = createSession(form);
      sessions.set(body['id'] as string, body);
    } else if (req.method === 'POST' && path === '/v1/refunds') {
      body = createRefund(form);
      refunds.set(body['id'] as string, body);
    } else if (req.method === 'GET' && path.startsWith('/v1/checkout/sessions/')) {
      body = sessions.get(path.slice('/v1/checkout/sessions/'.length));
    }
    if (!body) {
      return void send(404, {
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${path}).` },
      });
    }
    if (key) byIdempotencyKey.set(key, body);
    send(200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    /** Where stripe-node should send its calls (Amphi's StripeConfig.api). */
    api: { host: '127.0.0.1', port, protocol: 'http' as const },
    requests,
    refunds,
    /** The session as Stripe would show it. */
    session(id: string) {
      const session = sessions.get(id);
      if (!session) throw new Error(`no Checkout Session ${id}`);
      return session;
    },
    /** The buyer paid: the session as `checkout.session.completed` carries it. */
    completeSession(id: string) {
      const session = this.session(id);
      Object.assign(session, {
        status: 'complete',
        payment_status: 'paid',
        payment_intent: (session['payment_intent'] as string | null) ?? stripeId('pi'),
      });
      return { ...session };
    },
    /** Nobody paid in time: the session as `checkout.session.expired` carries it. */
    expireSession(id: string) {
      const session = this.session(id);
      Object.assign(session, { status: 'expired', url: null });
      return { ...session };
    },
    /**
     * Makes Checkout URLs point at `url?session_id=…` instead of a payment page, as if the buyer
     * paid at once and came back (browser journeys).
     */
    skipPaymentPageTo(url: string) {
      checkoutUrlBase = url;
    },
    /** The next `count` requests fail as Stripe's API does when it is down. */
    failNext(count = 1) {
      failures = count;
    },
    /** The next `count` requests are received and never answered, as a hung Stripe. */
    hangNext(count = 1) {
      hangs = count;
    },
    /** The next `count` requests lose their connection (reset) without an answer. */
    resetNext(count = 1) {
      resets = count;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung requests would keep close() waiting forever.
        server.closeAllConnections();
      }),
  };
}

export type StripeServer = Awaited<ReturnType<typeof startStripeServer>>;

/** A Charge after a full refund, as `charge.refunded` carries it. */
export function refundedCharge(paymentIntentId: string, amount: number): Json {
  return {
    id: stripeId('ch'),
    object: 'charge',
    amount,
    amount_captured: amount,
    amount_refunded: amount,
    captured: true,
    created: unix(),
    currency: 'usd',
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: paymentIntentId,
    refunded: true,
    status: 'succeeded',
  };
}

/** An Event as Stripe sends it to a webhook endpoint. */
export function stripeEvent(type: string, object: Json, id = stripeId('evt')) {
  return {
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: unix(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

const signer = new Stripe('sk_test_signer');

/**
 * Posts an event to Amphi's webhook route, signed as Stripe signs it (or with another secret, or
 * a body changed after signing, to show those are refused).
 */
export async function sendWebhook(
  appUrl: string,
  secret: string,
  event: ReturnType<typeof stripeEvent>,
  options: { tamper?: (payload: string) => string } = {},
) {
  const payload = JSON.stringify(event, null, 2);
  const signature = signer.webhooks.generateTestHeaderString({ payload, secret });
  const response = await fetch(`${appUrl}/api/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: options.tamper ? options.tamper(payload) : payload,
  });
  return { status: response.status, body: await response.text() };
}
