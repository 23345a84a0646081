import type { Counters } from './counters.ts';

type Entry = { value: string; expiresAt: number };

/**
 * Counts kept in this process. At most `maxEntries` keys are held: past that the oldest go first,
 * so a flood of new addresses costs memory only up to a bound.
 */
export function createMemoryCounters(maxEntries = 100_000, now = Date.now): Counters {
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const put = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    for (const old of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(old);
    }
  };

  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      put(key, { value, expiresAt: now() + ttlMs });
    },
    async hit(key, windowMs) {
      const entry = live(key);
      const expiresAt = entry?.expiresAt ?? now() + windowMs;
      const count = (entry ? Number(entry.value) : 0) + 1;
      // Re-inserting would reorder the key as new; a counted key keeps its place.
      if (entry) entry.value = String(count);
      else put(key, { value: String(count), expiresAt });
      return { count, resetInMs: expiresAt - now() };
    },
  };
}
