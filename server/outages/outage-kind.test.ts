import { GraphQLError } from 'graphql';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { outageOf } from './outage-kind.ts';

const prismaError = (code: string, meta?: unknown) =>
  Object.assign(new Error('Invalid invocation'), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta,
  });

describe('outageOf', () => {
  it.each([
    ['P1001 (cannot reach the server)', prismaError('P1001')],
    ['P2024 (pool timeout)', prismaError('P2024')],
    [
      'a driver adapter that could not connect',
      prismaError('P2010', { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } }),
    ],
    [
      'PostgreSQL shutting down (57P01)',
      prismaError('P2010', { driverAdapterError: { cause: { kind: 'postgres', code: '57P01' } } }),
    ],
    ['a closed PGlite', new Error('PGlite is closed')],
    ['a refused socket', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })],
  ])('sees the database down in %s', (_, error) => {
    expect(outageOf(error)).toBe('database');
  });

  it('sees Stripe down on connection errors and its 5xx, through GraphQL wrapping', () => {
    const connection = new Stripe.errors.StripeConnectionError({ message: 'timed out' });
    expect(outageOf(new GraphQLError('x', { originalError: connection }))).toBe('payments');
    const serverError = new Stripe.errors.StripeAPIError({ message: 'oops', statusCode: 502 });
    expect(outageOf(serverError)).toBe('payments');
  });

  it('takes bugs and refusals for what they are', () => {
    expect(outageOf(new TypeError('undefined is not a function'))).toBeNull();
    expect(outageOf(prismaError('P2002'))).toBeNull();
    expect(outageOf(new Stripe.errors.StripeCardError({ message: 'declined' }))).toBeNull();
  });
});
