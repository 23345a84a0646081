import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundKey } from '../../server/tickets/refunds.service.ts';
import {
  BUY_TICKET,
  buy,
  buyAndPay,
  refundWebhook,
  sessionOf,
  startTicketingApp,
  TICKETED_FOLLOWERS,
  type TicketingApp,
  ticketedSpace,
  ticketIdOf,
  ticketStates,
} from '../helpers/ticket-fixtures.ts';

const SCHEDULE_TICKETED = /* GraphQL */ `
  mutation ($input: ScheduleTicketedSpaceInput!) {
    scheduleTicketedSpace(input: $input) {
      __typename
      ... on MutationScheduleTicketedSpaceSuccess {
        space { id state ticketing { priceMinor currency seats seatsLeft } }
      }
      ... on NotEnoughFollowers { required missing }
      ... on InvalidInput { issues { path message } }
    }
  }
`;

const SPACE_TICKETS = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) {
      ticketing { seats seatsLeft priceMinor currency }
      viewerTicket { state }
    }
  }
`;

const CHECKOUT_TICKET = /* GraphQL */ `
  query ($sessionId: String!) {
    checkoutTicket(sessionId: $sessionId) { state issuedAt space { title } }
  }
`;

const MY_TICKETS = /* GraphQL */ `
  query { myTickets { state priceMinor currency space { title } } }
`;

const SALES = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) {
      ticketSales { sold pending refundPending refunded grossMinor tickets { state buyer { handle } } }
    }
  }
`;

let a: TicketingApp;
beforeAll(async () => {
  a = await startTicketingApp();
});
afterAll(() => a?.stop());

const hourAhead = () => new Date(Date.now() + 60 * 60_000);

describe('Mutation.scheduleTicketedSpace', () => {
  const input = (overrides: Record<string, unknown> = {}) => ({
    title: 'Paid talk',
    scheduledStart: hourAhead().toISOString(),
    priceMinor: 1500,
    currency: 'USD',
    seats: 50,
    salesEndAt: hourAhead().toISOString(),
    ...overrides,
  });

  it('a host with enough followers schedules a space selling tickets', async () => {
    const host = await a.t.createUser('host', { followers: TICKETED_FOLLOWERS });
    const result = await host.gql(SCHEDULE_TICKETED, { input: input() });
    expect(result.data?.['scheduleTicketedSpace']).toMatchObject({
      __typename: 'MutationScheduleTicketedSpaceSuccess',
      space: {
        state: 'SCHEDULED',
        ticketing: { priceMinor: 1500, currency: 'usd', seats: 50, seatsLeft: 50 },
      },
    });
  });

  it('a host short of the ticketed threshold gets NotEnoughFollowers, and nothing is created', async () => {
    // Enough to host a free space, not a ticketed one.
    const host = await a.t.createUser('host', { followers: TICKETED_FOLLOWERS - 1 });
    const result = await host.gql(SCHEDULE_TICKETED, { input: input() });
    expect(result.data?.['scheduleTicketedSpace']).toEqual({
      __typename: 'NotEnoughFollowers',
      required: TICKETED_FOLLOWERS,
      missing: 1,
    });
    expect(await a.t.app.prisma.space.count({ where: { hostId: host.id } })).toBe(0);
  });

  it('a price outside $1–$999, an unknown currency or no seats yield InvalidInput', async () => {
    const host = await a.t.createUser('host', { followers: TICKETED_FOLLOWERS });
    const result = await host.gql(SCHEDULE_TICKETED, {
      input: input({ priceMinor: 99_901, currency: 'xyz', seats: 0 }),
    });
    expect(result.data?.['scheduleTicketedSpace']).toMatchObject({ __typename: 'InvalidInput' });
    const outcome = result.data?.['scheduleTicketedSpace'] as { issues?: { path: string }[] };
    expect((outcome.issues ?? []).map((issue) => issue.path).sort()).toEqual([
      'currency',
      'priceMinor',
      'seats',
    ]);
    expect(await a.t.app.prisma.space.count({ where: { hostId: host.id } })).toBe(0);
  });
});

describe('Mutation.buyTicket', () => {
  it('a purchase end to end: Checkout Session, signed webhook, issued ticket, my tickets', async () => {
    const { spaceGlobalId, space } = await ticketedSpace(a.t, { seats: 3, priceMinor: 700 });
    const buyer = await a.t.createUser('buyer');
    const bought = await buy(buyer, spaceGlobalId);
    expect(bought).toMatchObject({
      __typename: 'MutationBuyTicketSuccess',
      ticket: { state: 'PENDING', priceMinor: 700, currency: 'usd' },
    });
    const sessionId = await sessionOf(a.t, bought.ticket!.id);
    expect(bought.ticket!.checkoutUrl).toBe(a.stripe.session(sessionId)['url']);

    // stripe-node sent the real request: form-encoded, authenticated, with an idempotency key.
    const request = a.stripe.requests.find(
      (r) => r.form['client_reference_id'] === ticketIdOf(bought.ticket!.id),
    );
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/checkout/sessions',
      authorization: 'Bearer sk_test_amphi',
      idempotencyKey: `amphi-checkout-${ticketIdOf(bought.ticket!.id)}`,
      form: {
        mode: 'payment',
        'line_items[0][quantity]': '1',
        'line_items[0][price_data][currency]': 'usd',
        'line_items[0][price_data][unit_amount]': '700',
        'line_items[0][price_data][product_data][name]': 'Ticket: Paid talk',
      },
    });
    expect(request?.stripeVersion).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(request?.form['success_url']).toBe(
      `${a.t.app.config.publicUrl}/tickets/return?session_id={CHECKOUT_SESSION_ID}`,
    );
    const expiresAt = Number(request?.form['expires_at']) * 1000;
    expect(expiresAt - Date.now()).toBeGreaterThanOrEqual(30 * 60_000);

    // The held seat is off sale, but nothing is issued until Stripe says the buyer paid.
    let view = await buyer.gql(SPACE_TICKETS, { id: spaceGlobalId });
    expect(view.data?.['space']).toEqual({
      ticketing: { seats: 3, seatsLeft: 2, priceMinor: 700, currency: 'usd' },
      viewerTicket: { state: 'PENDING' },
    });
    expect(
      (await buyer.gql(CHECKOUT_TICKET, { sessionId })).data?.['checkoutTicket'],
    ).toMatchObject({
      state: 'PENDING',
      issuedAt: null,
    });

    const delivery = await a.webhook(
      'checkout.session.completed',
      a.stripe.completeSession(sessionId),
    );
    expect(delivery.status).toBe(200);
    expect(
      (await buyer.gql(CHECKOUT_TICKET, { sessionId })).data?.['checkoutTicket'],
    ).toMatchObject({
      state: 'ISSUED',
      space: { title: 'Paid talk' },
    });
    view = await buyer.gql(SPACE_TICKETS, { id: spaceGlobalId });
    expect(view.data?.['space']).toMatchObject({
      ticketing: { seatsLeft: 2 },
      viewerTicket: { state: 'ISSUED' },
    });
    expect((await buyer.gql(MY_TICKETS)).data?.['myTickets']).toEqual([
      { state: 'ISSUED', priceMinor: 700, currency: 'usd', space: { title: 'Paid talk' } },
    ]);
    expect(await ticketStates(a.t, space.id)).toEqual({ ISSUED: 1 });
  });

  it('buying again while checking out returns the same checkout, not a second seat', async () => {
    const { spaceGlobalId, space } = await ticketedSpace(a.t);
    const buyer = await a.t.createUser('buyer');
    const first = await buy(buyer, spaceGlobalId);
    const second = await buy(buyer, spaceGlobalId);
    expect(second.ticket).toEqual(first.ticket);
    expect(await ticketStates(a.t, space.id)).toEqual({ PENDING: 1 });
  });

  it('a buyer holding a ticket cannot buy a second one (AlreadyHoldsTicket)', async () => {
    const { spaceGlobalId, space } = await ticketedSpace(a.t);
    const buyer = await a.t.createUser('buyer');
    await buyAndPay(a, buyer, spaceGlobalId);
    expect(await buy(buyer, spaceGlobalId)).toMatchObject({ __typename: 'AlreadyHoldsTicket' });
    expect(await ticketStates(a.t, space.id)).toEqual({ ISSUED: 1 });
  });

  it('the host cannot buy a ticket to their own space, and a free space sells none', async () => {
    const { spaceGlobalId, host } = await ticketedSpace(a.t);
    expect(await buy(host, spaceGlobalId)).toMatchObject({ __typename: 'NotAllowed' });
    const free = await a.t.app.services.scheduling.schedule(host.id, {
      title: 'Free',
      scheduledStart: hourAhead(),
    });
    const buyer = await a.t.createUser('buyer');
    const result = await buyer.gql(BUY_TICKET, {
      spaceId: Buffer.from(`Space:${free.id}`).toString('base64'),
    });
    expect(result.data?.['buyTicket']).toMatchObject({ __typename: 'NotTicketed' });
  });

  it('when Stripe fails, the buyer gets Unavailable and the seat goes back on sale', async () => {
    const { spaceGlobalId, space } = await ticketedSpace(a.t, { seats: 1 });
    const buyer = await a.t.createUser('buyer');
    a.stripe.failNext();
    expect(await buy(buyer, spaceGlobalId)).toMatchObject({
      __typename: 'Unavailable',
    });
    expect(await ticketStates(a.t, space.id)).toEqual({ RELEASED: 1 });
    expect(await buy(await a.t.createUser('next'), spaceGlobalId)).toMatchObject({
      __typename: 'MutationBuyTicketSuccess',
    });
  });

  it('20 buyers racing for 5 seats: exactly 5 holds, 5 tickets; an expired hold is released', async () => {
    const { spaceGlobalId, space } = await ticketedSpace(a.t, { seats: 5 });
    const buyers = await Promise.all(Array.from({ length: 20 }, (_, i) => a.t.createUser(`b${i}`)));
    const results = await Promise.all(buyers.map((buyer) => buy(buyer, spaceGlobalId)));
    const won = results.filter((r) => r.__typename === 'MutationBuyTicketSuccess');
    expect(won).toHaveLength(5);
    expect(results.filter((r) => r.__typename === 'SoldOut')).toHaveLength(15);

    // Four pay, at once; one lets the checkout expire.
    const sessions = await Promise.all(won.map((r) => sessionOf(a.t, r.ticket!.id)));
    const deliveries = await Promise.all(
      sessions
        .slice(0, 4)
        .map((id) => a.webhook('checkout.session.completed', a.stripe.completeSession(id))),
    );
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    expect(
      (await a.webhook('checkout.session.expired', a.stripe.expireSession(sessions[4]!))).status,
    ).toBe(200);
    expect(await ticketStates(a.t, space.id)).toEqual({ ISSUED: 4, RELEASED: 1 });

    // The released seat is for sale again, to exactly one more buyer. Which five won the first
    // race depends on scheduling, so the second race is among five who lost it.
    const losers = buyers.filter((_, i) => results[i]!.__typename === 'SoldOut');
    const again = await Promise.all(losers.slice(0, 5).map((buyer) => buy(buyer, spaceGlobalId)));
    expect(again.filter((r) => r.__typename === 'MutationBuyTicketSuccess')).toHaveLength(1);
    expect(again.filter((r) => r.__typename === 'SoldOut')).toHaveLength(4);
  });
});

describe('Mutation.cancelScheduledSpace (ticketed)', () => {
  const CANCEL = /* GraphQL */ `
    mutation ($spaceId: ID!) { cancelScheduledSpace(spaceId: $spaceId) { __typename } }
  `;

  it('canceling refunds every ticket through Stripe, and charge.refunded marks them refunded', async () => {
    const { host, space, spaceGlobalId } = await ticketedSpace(a.t, { seats: 5 });
    const [one, two, pending] = await Promise.all([
      a.t.createUser('one'),
      a.t.createUser('two'),
      a.t.createUser('pending'),
    ]);
    const paidOne = await buyAndPay(a, one, spaceGlobalId);
    const paidTwo = await buyAndPay(a, two, spaceGlobalId);
    await buy(pending, spaceGlobalId);

    const result = await host.gql(CANCEL, { spaceId: spaceGlobalId });
    expect(result.data?.['cancelScheduledSpace']).toEqual({
      __typename: 'MutationCancelScheduledSpaceSuccess',
    });
    const keys = [refundKey(paidOne.ticketId), refundKey(paidTwo.ticketId)];
    const refundRequests = () =>
      a.stripe.requests.filter(
        (r) => r.path === '/v1/refunds' && keys.includes(r.idempotencyKey ?? ''),
      );
    await expect.poll(() => refundRequests().length).toBe(2);
    expect(
      refundRequests()
        .map((r) => r.form['payment_intent'])
        .sort(),
    ).toEqual([paidOne.session['payment_intent'], paidTwo.session['payment_intent']].sort());
    await expect
      .poll(() =>
        a.t.app.prisma.ticket.count({ where: { spaceId: space.id, refundId: { not: null } } }),
      )
      .toBe(2);
    expect(await ticketStates(a.t, space.id)).toEqual({ REFUND_PENDING: 2, PENDING: 1 });

    // A later sweep asks for nothing more.
    await a.t.app.services.tickets.retryRefunds();
    expect(refundRequests()).toHaveLength(2);

    await refundWebhook(a, paidOne.session['payment_intent'] as string);
    await refundWebhook(a, paidTwo.session['payment_intent'] as string);
    expect(await ticketStates(a.t, space.id)).toEqual({ REFUNDED: 2, PENDING: 1 });
    expect((await one.gql(MY_TICKETS)).data?.['myTickets']).toMatchObject([{ state: 'REFUNDED' }]);

    // The open checkout can no longer buy a seat: paying now is refunded at once.
    const late = await a.t.app.prisma.ticket.findFirstOrThrow({
      where: { spaceId: space.id, state: 'PENDING' },
    });
    await a.webhook(
      'checkout.session.completed',
      a.stripe.completeSession(late.checkoutSessionId!),
    );
    expect(await ticketStates(a.t, space.id)).toEqual({ REFUNDED: 2, REFUND_PENDING: 1 });
  });
});

describe('Space.ticketSales', () => {
  it('the host sees sales; anyone else gets NotAllowed', async () => {
    const { host, spaceGlobalId } = await ticketedSpace(a.t, { seats: 5, priceMinor: 900 });
    const buyer = await a.t.createUser('buyer');
    await buyAndPay(a, buyer, spaceGlobalId);
    await buy(await a.t.createUser('browsing'), spaceGlobalId);
    const sales = await host.gql(SALES, { id: spaceGlobalId });
    expect(sales.data?.['space']).toEqual({
      ticketSales: {
        sold: 1,
        pending: 1,
        refundPending: 0,
        refunded: 0,
        grossMinor: 900,
        tickets: [
          { state: 'ISSUED', buyer: { handle: buyer.handle } },
          { state: 'PENDING', buyer: expect.any(Object) },
        ],
      },
    });
    const snooping = await buyer.gql(SALES, { id: spaceGlobalId });
    expect(snooping.errors?.[0]?.extensions?.['code']).toBe('NotAllowed');
  });
});

describe('Query.node (Ticket)', () => {
  it('tickets are not reachable by id, so nobody reads another buyer’s ticket', async () => {
    const { spaceGlobalId } = await ticketedSpace(a.t);
    const bought = await buy(await a.t.createUser('buyer'), spaceGlobalId);
    const stranger = await a.t.createUser('stranger');
    const result = await stranger.gql('query ($id: ID!) { node(id: $id) { __typename } }', {
      id: bought.ticket!.id,
    });
    expect(result.data?.['node'] ?? null).toBeNull();
  });
});
