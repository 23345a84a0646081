import type { Redis } from 'ioredis';
import type { PresenceStore } from './presence-store.ts';

const KEY = 'amphi:presence:last-seen';
/** Members per command: a crowded server renews thousands at once. */
const CHUNK = 1_000;

const CLAIM = `
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if at and tonumber(at) <= tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0`;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const scored = (members: readonly string[], at: number) =>
  members.flatMap((member) => [at, member] as const);

/**
 * Presence in one Redis sorted set (member → last seen), shared by every instance: an instance
 * that crashes stops renewing its members, and the others see them age out.
 */
export function createRedisPresenceStore(redis: Redis): PresenceStore {
  return {
    async renew(members, at) {
      for (const part of chunks(members)) await redis.zadd(KEY, 'GT', ...scored(part, at));
    },
    async lastSeen(members) {
      const result: (number | null)[] = [];
      for (const part of chunks(members)) {
        const scores = await redis.zmscore(KEY, ...part);
        for (const score of scores) result.push(score === null ? null : Number(score));
      }
      return result;
    },
    async notice(members, at) {
      for (const part of chunks(members)) await redis.zadd(KEY, 'NX', ...scored(part, at));
    },
    async claim(member, cutoff) {
      return (await redis.eval(CLAIM, 1, KEY, member, String(cutoff))) === 1;
    },
    async forget(before) {
      await redis.zremrangebyscore(KEY, '-inf', `(${before}`);
    },
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
