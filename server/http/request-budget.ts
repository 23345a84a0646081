/** How much work one client address may ask of this process: a steady rate and a burst. */
export type RequestRate = {
  /** Request units an address earns back each second. */
  perSecond: number;
  /** The most units an address can spend at once, after a pause. */
  burst: number;
};

/** What a refused client is told, over HTTP and over graphql-ws alike. */
export const overBudgetMessage = (retryAfterSeconds: number) =>
  `Too many requests from this address; try again in ${retryAfterSeconds} s.`;

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

type Bucket = { units: number; at: number };

/** Addresses are forgotten once their bucket has been full this long. */
const FORGET_AFTER_MS = 60_000;

/**
 * A token bucket per client address (nginx's `limit_req`): every request spends units, which
 * come back at `perSecond` up to `burst`. An address in debt is refused until it has paid it
 * back. The buckets live in this process on purpose: what they protect is this process's CPU,
 * and a check must cost nothing (no round trip to Redis before refusing a flood).
 */
export function createRequestBudget(
  rate: RequestRate,
  now: () => number = () => performance.now(),
) {
  const buckets = new Map<string, Bucket>();

  const refilled = (address: string): Bucket => {
    const time = now();
    const bucket = buckets.get(address);
    if (!bucket) return { units: rate.burst, at: time };
    const units = Math.min(rate.burst, bucket.units + ((time - bucket.at) / 1000) * rate.perSecond);
    return { units, at: time };
  };

  const sweep = setInterval(() => {
    const time = now();
    for (const [address, bucket] of buckets) {
      const fullAt = bucket.at + ((rate.burst - bucket.units) / rate.perSecond) * 1000;
      if (time - fullAt > FORGET_AFTER_MS) buckets.delete(address);
    }
  }, FORGET_AFTER_MS);
  sweep.unref();

  return {
    /**
     * Spends `units` of the address's budget when at least one is left (a heavy request may
     * then take it into debt), and says so; an address without one spends nothing and is told
     * when to come back.
     */
    admit(address: string, units: number): Admission {
      const bucket = refilled(address);
      if (bucket.units < 1) {
        buckets.set(address, bucket);
        return {
          admitted: false,
          retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.units) / rate.perSecond)),
        };
      }
      bucket.units -= units;
      buckets.set(address, bucket);
      return { admitted: true };
    },
    /** Addresses currently remembered (for tests and metrics). */
    get size() {
      return buckets.size;
    },
    stop() {
      clearInterval(sweep);
    },
  };
}

export type RequestBudget = ReturnType<typeof createRequestBudget>;
