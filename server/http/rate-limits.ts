import { type Store, useRateLimiter } from '@envelop/rate-limiter';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Context } from '../context.ts';
import { limitGroupOf } from './client-address.ts';

export type MutationLimits = {
  mutationsPerMinute: number;
  signalsPerMinute: number;
  mutationsPerMinutePerIp: number;
  signalsPerMinutePerIp: number;
};

/**
 * Two limits on every mutation, each counted apart: per caller (the account, or the client
 * address when signed out) and per client address (an IPv6 /64) whoever is signed in. Many
 * accounts on one address and one account on many addresses are both bounded.
 */
export function mutationRateLimits(schema: GraphQLSchema, limits: MutationLimits, store: Store) {
  const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
  const limiter = (
    identify: (context: Context) => string,
    perMinute: (field: string) => number,
    who: string,
  ) =>
    useRateLimiter({
      identifyFn: (context) => identify(context as Context),
      store,
      configByField: mutations.map((field) => ({
        type: 'Mutation',
        field,
        max: perMinute(field),
        window: '1m',
        message: `Too many ${field} calls ${who}; try again in a minute.`,
      })),
      transformError: (message) =>
        new GraphQLError(message, { extensions: { code: 'RATE_LIMITED' } }),
    });
  // A browser joining a mesh sends a burst of ICE candidates to each peer.
  const isSignal = (field: string) => field === 'sendMeshSignal';
  return [
    limiter(
      (context) => context.clientKey,
      (field) => (isSignal(field) ? limits.signalsPerMinute : limits.mutationsPerMinute),
      'from this account',
    ),
    limiter(
      (context) => `addr:${limitGroupOf(context.clientIp)}`,
      (field) => (isSignal(field) ? limits.signalsPerMinutePerIp : limits.mutationsPerMinutePerIp),
      'from this address',
    ),
  ];
}
