import { defaultConfig } from '../../server/config.ts';
import { parseGlobalId, toGlobalId } from '../../server/ids.ts';
import { refundedCharge, sendWebhook, startStripeServer, stripeEvent } from './stripe-server.ts';
import { startTestApp, type TestApp, type TestUser } from './test-app.ts';

export const WEBHOOK_SECRET = 'whsec_amphi_tests';
export const TICKETED_FOLLOWERS = 3;

export const BUY_TICKET = /* GraphQL */ `
  mutation ($spaceId: ID!) {
    buyTicket(spaceId: $spaceId) {
      __typename
      ... on MutationBuyTicketSuccess { ticket { id state checkoutUrl priceMinor currency } }
      ... on Error { message }
    }
  }
`;

type BuyResult = {
  buyTicket: {
    __typename: string;
    ticket?: { id: string; state: string; checkoutUrl: string | null };
    message?: string;
  };
};

/** Amphi with Stripe pointed at a local stand-in, and a signed-webhook sender. */
export async function startTicketingApp(options: { stripeTimeoutMs?: number } = {}) {
  const stripe = await startStripeServer();
  const t = await startTestApp({
    hosting: { minFollowers: 1, minFollowersTicketed: TICKETED_FOLLOWERS },
    // Tests run sweeps themselves.
    spaces: { ...defaultConfig.spaces, sweepIntervalMs: 3_600_000 },
    ticketing: {
      ...defaultConfig.ticketing,
      stripe: { secretKey: 'sk_test_amphi', webhookSecret: WEBHOOK_SECRET, api: stripe.api },
      stripeTimeoutMs: options.stripeTimeoutMs ?? defaultConfig.ticketing.stripeTimeoutMs,
    },
  });
  return {
    t,
    stripe,
    webhook: (type: string, object: Record<string, unknown>, id?: string) =>
      sendWebhook(t.url, WEBHOOK_SECRET, stripeEvent(type, object, id)),
    async stop() {
      await t.stop();
      await stripe.stop();
    },
  };
}

export type TicketingApp = Awaited<ReturnType<typeof startTicketingApp>>;

/** A scheduled ticketed space (an hour ahead, sales open until then) by a new eligible host. */
export async function ticketedSpace(
  t: TestApp,
  offer: { seats?: number; priceMinor?: number } = {},
) {
  const host = await t.createUser('host', { followers: TICKETED_FOLLOWERS });
  const start = new Date(Date.now() + 60 * 60_000);
  const space = await t.app.services.tickets.scheduleTicketed(host.id, {
    title: 'Paid talk',
    scheduledStart: start,
    priceMinor: offer.priceMinor ?? 500,
    currency: 'usd',
    seats: offer.seats ?? 5,
    salesEndAt: start,
  });
  return { host, space, spaceGlobalId: toGlobalId('Space', space.id) };
}

export async function buy(user: TestUser, spaceGlobalId: string) {
  const result = await user.gql<BuyResult>(BUY_TICKET, { spaceId: spaceGlobalId });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.buyTicket;
}

/** The Checkout Session Amphi opened for a ticket. */
export async function sessionOf(t: TestApp, ticketGlobalId: string) {
  const ticket = await t.app.prisma.ticket.findFirstOrThrow({
    where: { checkoutSessionId: { not: null }, id: ticketIdOf(ticketGlobalId) },
  });
  return ticket.checkoutSessionId!;
}

export const ticketIdOf = (globalId: string) => parseGlobalId(globalId, 'Ticket', 'ticket');

/** Buys a ticket and has Stripe report it paid: an issued ticket. */
export async function buyAndPay(app: TicketingApp, user: TestUser, spaceGlobalId: string) {
  const bought = await buy(user, spaceGlobalId);
  if (!bought.ticket) throw new Error(`buyTicket: ${bought.__typename} ${bought.message}`);
  const sessionId = await sessionOf(app.t, bought.ticket.id);
  const session = app.stripe.completeSession(sessionId);
  const delivery = await app.webhook('checkout.session.completed', session);
  if (delivery.status !== 200) throw new Error(`webhook: ${delivery.status} ${delivery.body}`);
  return { ticketId: ticketIdOf(bought.ticket.id), sessionId, session };
}

/** Stripe reports a payment fully refunded. */
export function refundWebhook(app: TicketingApp, paymentIntentId: string, amount = 500) {
  return app.webhook('charge.refunded', refundedCharge(paymentIntentId, amount));
}

/** Tickets of a space by state, for assertions. */
export async function ticketStates(t: TestApp, spaceId: string) {
  const tickets = await t.app.prisma.ticket.findMany({ where: { spaceId } });
  const states: Record<string, number> = {};
  for (const ticket of tickets) states[ticket.state] = (states[ticket.state] ?? 0) + 1;
  return states;
}
