import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundKey } from '../../server/tickets/refunds.service.ts';
import {
  buy,
  buyAndPay,
  sessionOf,
  startTicketingApp,
  type TicketingApp,
  ticketedSpace,
  ticketStates,
} from '../helpers/ticket-fixtures.ts';

let a: TicketingApp;
beforeAll(async () => {
  a = await startTicketingApp();
});
afterAll(() => a?.stop());

describe('POST /api/stripe/webhook', () => {
  async function pendingPurchase(seats = 2) {
    const { spaceGlobalId, space } = await ticketedSpace(a.t, { seats });
    const buyer = await a.t.createUser('buyer');
    const bought = await buy(buyer, spaceGlobalId);
    return { space, spaceGlobalId, buyer, sessionId: await sessionOf(a.t, bought.ticket!.id) };
  }

  it('a duplicated and a replayed checkout.session.completed issue one ticket', async () => {
    const { space, sessionId } = await pendingPurchase();
    const session = a.stripe.completeSession(sessionId);
    const id = 'evt_test_duplicate_completed';
    const deliveries = await Promise.all([
      a.webhook('checkout.session.completed', session, id),
      a.webhook('checkout.session.completed', session, id),
    ]);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    const before = await a.t.app.prisma.ticket.findMany({ where: { spaceId: space.id } });
    // A replay later (same event, freshly signed) changes nothing either.
    expect((await a.webhook('checkout.session.completed', session, id)).status).toBe(200);
    expect(await a.t.app.prisma.ticket.findMany({ where: { spaceId: space.id } })).toEqual(before);
    expect(await ticketStates(a.t, space.id)).toEqual({ ISSUED: 1 });
    expect(await a.t.app.prisma.paymentEvent.count({ where: { id } })).toBe(1);
  });

  it('a bad signature or a body changed after signing gets 400 and changes nothing', async () => {
    const { space, sessionId } = await pendingPurchase();
    const event = {
      id: 'evt_test_forged',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: a.stripe.completeSession(sessionId) },
    };
    const { sendWebhook, stripeEvent } = await import('../helpers/stripe-server.ts');
    const signed = stripeEvent('checkout.session.completed', event.data.object, event.id);
    expect((await sendWebhook(a.t.url, 'whsec_someone_else', signed)).status).toBe(400);
    const tampered = await sendWebhook(a.t.url, 'whsec_amphi_tests', signed, {
      tamper: (payload) => payload.replace('"paid"', '"paid" '),
    });
    expect(tampered.status).toBe(400);
    const unsigned = await fetch(`${a.t.url}/api/stripe/webhook`, {
      method: 'POST',
      body: JSON.stringify(signed),
    });
    expect(unsigned.status).toBe(400);
    expect(await ticketStates(a.t, space.id)).toEqual({ PENDING: 1 });
    expect(await a.t.app.prisma.paymentEvent.count({ where: { id: event.id } })).toBe(0);
  });

  it('checkout.session.expired after completed leaves the ticket issued', async () => {
    const { space, sessionId } = await pendingPurchase();
    await a.webhook('checkout.session.completed', a.stripe.completeSession(sessionId));
    expect((await a.webhook('checkout.session.expired', a.stripe.session(sessionId))).status).toBe(
      200,
    );
    expect(await ticketStates(a.t, space.id)).toEqual({ ISSUED: 1 });
  });

  it('completed after expired issues the ticket while a seat is still free', async () => {
    const { space, sessionId } = await pendingPurchase(1);
    const paid = a.stripe.completeSession(sessionId);
    await a.webhook('checkout.session.expired', { ...paid, status: 'expired' });
    expect(await ticketStates(a.t, space.id)).toEqual({ RELEASED: 1 });
    expect((await a.webhook('checkout.session.completed', paid)).status).toBe(200);
    expect(await ticketStates(a.t, space.id)).toEqual({ ISSUED: 1 });
  });

  it('completed after expired, the seat since sold, refunds the late payment instead of overselling', async () => {
    const { space, spaceGlobalId, sessionId } = await pendingPurchase(1);
    const paid = a.stripe.completeSession(sessionId);
    await a.webhook('checkout.session.expired', { ...paid, status: 'expired' });
    await buyAndPay(a, await a.t.createUser('second'), spaceGlobalId);
    expect((await a.webhook('checkout.session.completed', paid)).status).toBe(200);
    expect(await ticketStates(a.t, space.id)).toEqual({ ISSUED: 1, REFUND_PENDING: 1 });
    const late = await a.t.app.prisma.ticket.findFirstOrThrow({
      where: { checkoutSessionId: sessionId },
    });
    await expect
      .poll(() => a.stripe.requests.filter((r) => r.idempotencyKey === refundKey(late.id)))
      .toHaveLength(1);
    const refund = a.stripe.requests.find((r) => r.idempotencyKey === refundKey(late.id));
    expect(refund).toMatchObject({
      path: '/v1/refunds',
      form: { payment_intent: paid['payment_intent'] },
    });
  });

  it('events Amphi does not handle are acknowledged and ignored', async () => {
    const result = await a.webhook('customer.created', { id: 'cus_test_1', object: 'customer' });
    expect(result.status).toBe(200);
  });
});
