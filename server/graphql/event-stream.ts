export type EventStreamOptions<S, T> = {
  /** Values that pass; the others are skipped. */
  keep?: (value: S) => boolean;
  map?: (value: S) => T | Promise<T>;
  /** The stream ends after this value. */
  isLast?: (value: S) => boolean;
  /** Runs once, when the stream ends or is closed. */
  onClose?: () => void;
};

/**
 * `source`'s values, filtered and mapped, as an iterator that closes its source the moment it is
 * closed, even while it waits for the next value (an async generator would wait for that value
 * first). It holds nothing per value: one wrapper per subscriber and layer, on the path of every
 * event to every subscriber.
 */
export function eventStream<S, T = S>(
  source: AsyncIterable<S>,
  options: EventStreamOptions<S, T>,
): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  const close = async () => {
    if (finished) return;
    finished = true;
    options.onClose?.();
    await iterator.return?.();
  };
  const done = { done: true as const, value: undefined };

  return {
    async next() {
      for (;;) {
        if (finished) return done;
        const step = await iterator.next();
        if (step.done || finished) {
          await close();
          return done;
        }
        if (options.keep && !options.keep(step.value)) continue;
        let value: T;
        try {
          value = options.map ? await options.map(step.value) : (step.value as unknown as T);
        } catch (error) {
          await close();
          throw error;
        }
        if (options.isLast?.(step.value)) await close();
        return { done: false, value };
      }
    },
    async return() {
      await close();
      return done;
    },
    async throw(error: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
