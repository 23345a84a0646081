export type RestartBackoffOptions = { firstMs: number; maxMs: number; stableMs: number };

/** Engines that die restart after 1 s, then 2, 4, … up to 30 s while they keep dying. */
const defaults: RestartBackoffOptions = { firstMs: 1000, maxMs: 30_000, stableMs: 60_000 };

/**
 * When to restart an engine that stopped on its own: the delay doubles with each death (a broken
 * model or a full machine must not become a storm of process starts) and is forgiven once an
 * engine has run for `stableMs`.
 */
export function createRestartBackoff(options: RestartBackoffOptions = defaults) {
  let next = options.firstMs;
  return {
    /** Ms to wait before restarting an engine that ran for `ranMs` before it died. */
    delayAfter(ranMs: number): number {
      if (ranMs >= options.stableMs) next = options.firstMs;
      const delay = next;
      next = Math.min(options.maxMs, next * 2);
      return delay;
    },
  };
}
