import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buy,
  startTicketingApp,
  type TicketingApp,
  ticketedSpace,
  ticketStates,
} from '../helpers/ticket-fixtures.ts';

const SEATS_LEFT = /* GraphQL */ `
  query ($id: ID!) { space(id: $id) { ticketing { seatsLeft } } }
`;

const BUY_WITH_ADVICE = /* GraphQL */ `
  mutation ($spaceId: ID!) {
    buyTicket(spaceId: $spaceId) {
      __typename
      ... on Unavailable { retryAfterSeconds message }
    }
  }
`;

let a: TicketingApp;
beforeAll(async () => {
  // Short enough that a hung Stripe fails the sale quickly, long enough for a loaded machine.
  a = await startTicketingApp({ stripeTimeoutMs: 1_500 });
});
afterAll(() => a?.stop());

const checkoutRequests = () =>
  a.stripe.requests.filter((request) => request.path === '/v1/checkout/sessions');

async function seatsLeft(spaceGlobalId: string) {
  const result = await a.t.anonymous<{ space: { ticketing: { seatsLeft: number } } }>(SEATS_LEFT, {
    id: spaceGlobalId,
  });
  return result.data?.space.ticketing.seatsLeft;
}

describe('Mutation.buyTicket while Stripe is failing', () => {
  it('a Checkout creation that never answers yields Unavailable, and the next buyer gets the seat', async () => {
    const { spaceGlobalId, space } = await ticketedSpace(a.t, { seats: 1 });
    const buyer = await a.t.createUser('buyer');
    a.stripe.hangNext();
    const result = await buyer.gql(BUY_WITH_ADVICE, { spaceId: spaceGlobalId });
    expect(result.errors).toBeUndefined();
    expect(result.data?.['buyTicket']).toMatchObject({
      __typename: 'Unavailable',
      retryAfterSeconds: 5,
    });
    expect(await ticketStates(a.t, space.id)).toEqual({ RELEASED: 1 });
    expect(await seatsLeft(spaceGlobalId)).toBe(1);
    expect(await buy(await a.t.createUser('next'), spaceGlobalId)).toMatchObject({
      __typename: 'MutationBuyTicketSuccess',
    });
  });

  it('a 500 from Stripe yields Unavailable and the seat is free at once', async () => {
    const { spaceGlobalId, space } = await ticketedSpace(a.t, { seats: 1 });
    const buyer = await a.t.createUser('buyer');
    a.stripe.failNext();
    expect(await buy(buyer, spaceGlobalId)).toMatchObject({
      __typename: 'Unavailable',
    });
    expect(await ticketStates(a.t, space.id)).toEqual({ RELEASED: 1 });
    expect(await seatsLeft(spaceGlobalId)).toBe(1);
    // The same buyer retrying after the outage gets a fresh hold and checkout.
    expect(await buy(buyer, spaceGlobalId)).toMatchObject({
      __typename: 'MutationBuyTicketSuccess',
      ticket: { state: 'PENDING' },
    });
  });

  it('a reset connection is tried once more under the same idempotency key; a second reset frees the seat', async () => {
    const { spaceGlobalId, space } = await ticketedSpace(a.t, { seats: 1 });
    const before = checkoutRequests().length;
    a.stripe.resetNext(2);
    expect(await buy(await a.t.createUser('buyer'), spaceGlobalId)).toMatchObject({
      __typename: 'Unavailable',
    });
    const attempts = checkoutRequests().slice(before);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.idempotencyKey).toMatch(/^amphi-checkout-/);
    expect(attempts[1]?.idempotencyKey).toBe(attempts[0]?.idempotencyKey);
    expect(await ticketStates(a.t, space.id)).toEqual({ RELEASED: 1 });
    expect(await buy(await a.t.createUser('next'), spaceGlobalId)).toMatchObject({
      __typename: 'MutationBuyTicketSuccess',
    });
  });
});
