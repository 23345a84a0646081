import type { Store } from '@envelop/rate-limiter';
import type { BetterAuthOptions } from 'better-auth';
import type { Counters } from './counters.ts';

type BetterAuthRateLimitStorage = NonNullable<
  NonNullable<BetterAuthOptions['rateLimit']>['customStorage']
>;
type Identity = { contextIdentity: string; fieldIdentity: string };

/** @envelop/rate-limiter's store (a list of call times per caller and field) over `counters`. */
export function envelopStore(counters: Counters): Store {
  const keyOf = (identity: Identity) => `gql:${identity.contextIdentity}:${identity.fieldIdentity}`;
  return {
    async getForIdentity(identity: Identity) {
      const stored = await counters.get(keyOf(identity));
      const times: unknown = stored ? JSON.parse(stored) : [];
      return Array.isArray(times) ? times.filter((t): t is number => typeof t === 'number') : [];
    },
    async setForIdentity(identity: Identity, timestamps: readonly number[], windowMs?: number) {
      const ttlMs = windowMs ?? 60_000;
      await counters.set(keyOf(identity), JSON.stringify(timestamps), ttlMs);
    },
  };
}

/** Counts one attempt against `key`: allowed while at most `max` fall in the window. */
export async function consume(
  counters: Counters,
  key: string,
  rule: { max: number; windowSeconds: number },
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const { count, resetInMs } = await counters.hit(key, rule.windowSeconds * 1000);
  return {
    allowed: count <= rule.max,
    retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)),
  };
}

/** better-auth's rate-limit storage (its per-address limits on /api/auth) over `counters`. */
export function betterAuthStorage(counters: Counters): BetterAuthRateLimitStorage {
  return {
    async consume(key, rule) {
      const { allowed, retryAfterSeconds } = await consume(counters, `auth:${key}`, {
        max: rule.max,
        windowSeconds: rule.window,
      });
      return { allowed, retryAfter: allowed ? null : retryAfterSeconds };
    },
  };
}
