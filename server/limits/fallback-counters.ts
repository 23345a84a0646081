import type { Redis } from 'ioredis';
import type { OutageLog } from '../outages/outage-log.ts';
import type { Counters } from './counters.ts';

/**
 * Counts in Redis while it answers and in `memory` (per instance) while it does not. A failed
 * command opens the circuit for `probeMs`; then one command tries Redis again. ioredis's own
 * connection errors and reconnections move the circuit too, and feed `outage`, so the outage is
 * logged once and so is its end.
 */
export function createFallbackCounters(
  redis: Redis,
  shared: Counters,
  memory: Counters,
  outage: OutageLog,
  probeMs = 1_000,
): Counters {
  let healthy = false;
  let probeAt = 0;
  redis.on('ready', () => {
    healthy = true;
    outage.recovered();
  });
  // The listener also keeps ioredis from printing every reconnection failure.
  redis.on('error', (error: unknown) => {
    healthy = false;
    outage.failed(error);
  });

  async function run<T>(fromShared: () => Promise<T>, fromMemory: () => Promise<T>): Promise<T> {
    if (redis.status !== 'ready' || (!healthy && Date.now() < probeAt)) return fromMemory();
    try {
      const result = await fromShared();
      if (!healthy) {
        healthy = true;
        outage.recovered();
      }
      return result;
    } catch (error) {
      healthy = false;
      probeAt = Date.now() + probeMs;
      outage.failed(error);
      return fromMemory();
    }
  }

  return {
    get: (key) =>
      run(
        () => shared.get(key),
        () => memory.get(key),
      ),
    set: (key, value, ttlMs) =>
      run(
        () => shared.set(key, value, ttlMs),
        () => memory.set(key, value, ttlMs),
      ),
    hit: (key, windowMs) =>
      run(
        () => shared.hit(key, windowMs),
        () => memory.hit(key, windowMs),
      ),
  };
}
