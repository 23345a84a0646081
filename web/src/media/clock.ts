export type TimerHandle = ReturnType<typeof globalThis.setTimeout>;

/** Time and timers, injected so throttles and pollers run under fake time in tests. */
export type Clock = {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
};

/** The real clock; `now` may be replaced (the facade's `now` option). */
export function systemClock(now: () => number = () => Date.now()): Clock {
  return {
    now,
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle),
  };
}
