import type { Clock, TimerHandle } from './clock.ts';

/** Delivers at most one value per interval; the latest value pushed always arrives. */
export type Throttle<T> = {
  push(value: T): void;
  cancel(): void;
};

/**
 * Leading and trailing throttle: the first value after a quiet interval is delivered at once,
 * later ones are coalesced and the latest is delivered when the interval has passed.
 */
export function createThrottle<T>(
  deliver: (value: T) => void,
  intervalMs: number,
  clock: Clock,
): Throttle<T> {
  let lastAt = Number.NEGATIVE_INFINITY;
  let pending: { value: T } | null = null;
  let timer: TimerHandle | null = null;

  const flush = () => {
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    lastAt = clock.now();
    deliver(value);
  };

  return {
    push(value) {
      pending = { value };
      if (timer !== null) return;
      const wait = lastAt + intervalMs - clock.now();
      if (wait <= 0) flush();
      else timer = clock.setTimeout(flush, wait);
    },
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
