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
 * A stream that can also be listened to: its values handed to a callback as they come, with no
 * promise per value. A transport that writes each value out at once (direct-delivery.ts) listens;
 * everything else iterates. Use one or the other on one stream, never both.
 */
export type Listenable<T> = AsyncIterable<T> & {
  /** Calls `onValue` for each value and `onEnd` once it ends; the result stops listening. */
  listen(onValue: (value: T) => void, onEnd?: () => void): () => void;
};

export function isListenable<T>(stream: AsyncIterable<T>): stream is Listenable<T> {
  return typeof (stream as Partial<Listenable<T>>).listen === 'function';
}

/**
 * `source`'s values, filtered and mapped, as an iterator that closes its source the moment it is
 * closed, even while it waits for the next value (an async generator would wait for that value
 * first). It holds nothing per value: one wrapper per subscriber and layer, on the path of every
 * event to every subscriber. When `source` can be listened to and there is no `map`, so can the
 * result.
 */
export function eventStream<S, T = S>(
  source: AsyncIterable<S>,
  options: EventStreamOptions<S, T>,
): AsyncIterableIterator<T> & Partial<Listenable<T>> {
  let iterator: AsyncIterator<S> | undefined;
  let finished = false;
  const close = async () => {
    if (finished) return;
    finished = true;
    options.onClose?.();
    await iterator?.return?.();
  };
  const done = { done: true as const, value: undefined };

  const stream: AsyncIterableIterator<T> = {
    async next() {
      iterator ??= source[Symbol.asyncIterator]();
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
  if (options.map || !isListenable(source)) return stream;

  const listen = (onValue: (value: T) => void, onEnd?: () => void) => {
    let stopSource = () => {};
    const end = () => {
      if (finished) return;
      void close();
      stopSource();
      onEnd?.();
    };
    stopSource = source.listen((value) => {
      if (finished) return;
      if (options.keep && !options.keep(value)) return;
      onValue(value as unknown as T);
      if (options.isLast?.(value)) end();
    }, end);
    // A source that ended while it was being listened to.
    if (finished) stopSource();
    return () => {
      void close();
      stopSource();
    };
  };
  return Object.assign(stream, { listen });
}
