import { Redis } from 'ioredis';
import type { PresenceConfig } from './presence.service.ts';
import { createMemoryPresenceStore, type PresenceStore } from './presence-store.ts';
import { createRedisPresenceStore } from './redis-presence-store.ts';

/** Shared through Redis when there is one (several instances), else in this process. */
export function presenceStoreFor(redisUrl: string | undefined): PresenceStore {
  if (!redisUrl) return createMemoryPresenceStore();
  // disableClientInfo: see pubsub.ts. One retry and a time limit: a failed round is retried by
  // the next one, and a stalled Redis must not hold rounds (or shutdown) forever.
  const redis = new Redis(redisUrl, {
    disableClientInfo: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 5_000,
  });
  // Failed commands reach presence's own outage log; the connection's errors would repeat them.
  redis.on('error', () => {});
  return createRedisPresenceStore(redis);
}

/**
 * How often graphql-ws pings its sockets. A client whose network vanished without closing the
 * socket is dropped one interval after a missed pong, so this must leave the timeout its
 * meaning: at most half of it, and no more than graphql-ws's own 12 s.
 */
export const socketKeepAliveMs = ({ timeoutMs }: PresenceConfig) =>
  Math.max(1_000, Math.min(12_000, Math.floor(timeoutMs / 2)));
