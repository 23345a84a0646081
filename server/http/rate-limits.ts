import { InMemoryStore, RedisStore, useRateLimiter } from '@envelop/rate-limiter';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { Context } from '../context.ts';

/**
 * Per-user limits on every mutation (per client address when signed out). With Redis the counts
 * are shared by all instances.
 */
export function mutationRateLimits(
  schema: GraphQLSchema,
  limits: { mutationsPerMinute: number; signalsPerMinute: number },
  redis?: Redis,
) {
  const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
  // A browser joining a mesh sends a burst of ICE candidates to each peer.
  const perMinute = (field: string) =>
    field === 'sendMeshSignal' ? limits.signalsPerMinute : limits.mutationsPerMinute;
  return useRateLimiter({
    identifyFn: (context) => (context as Context).clientKey,
    store: redis ? new RedisStore(redis) : new InMemoryStore(),
    configByField: mutations.map((field) => ({
      type: 'Mutation',
      field,
      max: perMinute(field),
      window: '1m',
      message: `Too many ${field} calls; try again in a minute.`,
    })),
    transformError: (message) =>
      new GraphQLError(message, { extensions: { code: 'RATE_LIMITED' } }),
  });
}
