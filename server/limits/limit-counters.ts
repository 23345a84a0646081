import type { Redis } from 'ioredis';
import { createOutageLog } from '../outages/outage-log.ts';
import type { Counters } from './counters.ts';
import { createFallbackCounters } from './fallback-counters.ts';
import { createMemoryCounters } from './memory-counters.ts';
import { createFailFastRedis, createRedisCounters } from './redis-counters.ts';

export type LimitCounters = { counters: Counters; close(): Promise<void> };

/**
 * The counts behind every rate limit (GraphQL mutations, sign-in and sign-up): in Redis when a
 * URL is given, so instances share them, falling back to this instance's memory while Redis is
 * unreachable; otherwise in memory.
 */
export function createLimitCounters(redisUrl: string | undefined): LimitCounters {
  const memory = createMemoryCounters();
  if (!redisUrl) return { counters: memory, close: async () => {} };
  const redis: Redis = createFailFastRedis(redisUrl);
  const outage = createOutageLog(
    'Redis (rate limits)',
    'rate limits count per instance until it is back',
  );
  return {
    counters: createFallbackCounters(redis, createRedisCounters(redis), memory, outage),
    close: async () => {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
