import { Redis } from 'ioredis';
import { createOutageLog } from '../outages/outage-log.ts';

/**
 * Numbers each space's events 1, 2, 3… so a subscriber can tell when it missed one. In this
 * process's memory without Redis; with Redis, one `INCR` per event, so every instance publishing
 * for the same space draws from one counter.
 */
export type SpaceSequence = {
  /** The next number for the space; numbers resolve in the order they were asked for. */
  next(spaceId: string): Promise<number>;
  /** The last number handed out for the space, 0 before any. */
  current(spaceId: string): Promise<number>;
  /** Lets go of an ended space's counter. */
  forget(spaceId: string): void;
  close(): Promise<void>;
};

/** Long after any space ends: a counter only has to outlive its space's subscribers. */
const KEY_TTL_SECONDS = 7 * 24 * 3600;

export function createSpaceSequence(redisUrl: string | undefined): SpaceSequence {
  return redisUrl ? redisSequence(redisUrl) : memorySequence();
}

function memorySequence(): SpaceSequence {
  const counters = new Map<string, number>();
  return {
    async next(spaceId) {
      const value = (counters.get(spaceId) ?? 0) + 1;
      counters.set(spaceId, value);
      return value;
    },
    current: async (spaceId) => counters.get(spaceId) ?? 0,
    forget: (spaceId) => void counters.delete(spaceId),
    close: async () => {},
  };
}

function redisSequence(redisUrl: string): SpaceSequence {
  // Like the event bus's publisher: one retry, then the event is dropped (its subscribers see a
  // gap and re-read), rather than a queue that would replay stale numbers.
  const redis = new Redis(redisUrl, { disableClientInfo: true, maxRetriesPerRequest: 1 });
  const outage = createOutageLog(
    'Redis (event sequence)',
    'live events are dropped until it is back',
  );
  redis.on('error', (error: unknown) => outage.failed(error));
  redis.on('ready', () => outage.recovered());
  const key = (spaceId: string) => `amphi:space-sequence:${spaceId}`;
  return {
    async next(spaceId) {
      const replies = await redis
        .multi()
        .incr(key(spaceId))
        .expire(key(spaceId), KEY_TTL_SECONDS)
        .exec();
      const [error, value] = replies?.[0] ?? [
        new Error('Redis discarded the sequence transaction'),
      ];
      if (error) throw error;
      return Number(value);
    },
    current: async (spaceId) => Number((await redis.get(key(spaceId))) ?? 0),
    // Other instances may still publish for the space; the key expires by itself.
    forget: () => {},
    close: async () => {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
