import { Redis } from 'ioredis';
import type { Counters } from './counters.ts';

/** How long one Redis command may take before the limiter counts in memory instead. */
export const REDIS_COMMAND_TIMEOUT_MS = 100;

/**
 * A Redis connection that fails fast: with no connection a command fails at once instead of
 * queueing (ioredis would hold it through 20 reconnection attempts, 10–20 s), and a connected
 * but stalled server gets `REDIS_COMMAND_TIMEOUT_MS`. Reconnection goes on in the background.
 */
export function createFailFastRedis(url: string): Redis {
  return new Redis(url, {
    // ioredis 5.11 sends CLIENT SETINFO, which some servers refuse (see pubsub.ts).
    disableClientInfo: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
  });
}

/** Counts in Redis, shared by every instance. */
export function createRedisCounters(redis: Redis, prefix = 'amphi:limits:'): Counters {
  return {
    get: (key) => redis.get(prefix + key),
    async set(key, value, ttlMs) {
      await redis.set(prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
    },
    async hit(key, windowMs) {
      const name = prefix + key;
      const replies = await redis
        .multi()
        .set(name, '0', 'PX', Math.max(1, Math.ceil(windowMs)), 'NX')
        .incr(name)
        .pttl(name)
        .exec();
      if (!replies) throw new Error('Redis discarded the rate-limit transaction');
      for (const [error] of replies) if (error) throw error;
      const count = Number(replies[1]?.[1]);
      const ttl = Number(replies[2]?.[1]);
      return { count, resetInMs: ttl > 0 ? ttl : windowMs };
    },
  };
}
