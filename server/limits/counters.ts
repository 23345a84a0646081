/**
 * Where rate limits keep their counts: in this process, or in Redis for every instance. Values
 * expire on their own, so an address seen once is not kept forever.
 */
export type Counters = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Counts one more hit in the key's window (which opens at the first hit). */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
};
