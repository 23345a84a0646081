import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin, Repeater, type RepeaterBuffer } from 'graphql-yoga';
import { SubscriptionLagging } from '../errors.ts';
import { DIRECTLY_DELIVERED, type DirectBacklog } from './direct-delivery.ts';

/**
 * A subscription's results waiting for its client to read them. Repeater's own buffers either
 * make the publisher wait (which would let one slow client hold up everyone's events) or keep
 * stale values; this one never refuses a value and is emptied at once when the client lags.
 */
class ResultQueue<T> implements RepeaterBuffer<T> {
  private values: T[] = [];
  readonly full = false;

  get empty() {
    return this.values.length === 0;
  }

  get length() {
    return this.values.length;
  }

  add(value: T) {
    this.values.push(value);
  }

  remove(): T {
    const value = this.values.shift();
    if (value === undefined) throw new Error('remove() on an empty queue');
    return value;
  }

  clear() {
    this.values = [];
  }
}

export type BacklogSnapshot = {
  /** Subscriptions running now. */
  subscriptions: number;
  /** Results queued for their clients, all subscriptions together, and in the longest queue. */
  queued: number;
  deepest: number;
  /** Subscriptions ended with SubscriptionLagging since the server started. */
  lagged: number;
};

/**
 * Bounds what a slow subscriber costs the server. Every subscription's results are read from its
 * source as they come (so a slow client never holds events up in the shared event bus) into a
 * queue the transport (graphql-ws, SSE) takes from as fast as the client's socket drains; a
 * client more than `maxQueued` results behind gets one final result whose error has code
 * `SubscriptionLagging`, its queue is dropped and the subscription ends. A subscription delivered
 * directly (direct-delivery.ts) counts the results written since its connection last had nothing
 * waiting for the client.
 */
export function createSubscriptionBacklog(maxQueued: number) {
  const queues = new Set<{ readonly length: number }>();
  let lagged = 0;

  function bound<T>(source: AsyncIterable<T>, lagging: () => T): Repeater<T> {
    const queue = new ResultQueue<unknown>();
    return new Repeater<T>(async (push, stop) => {
      const iterator = source[Symbol.asyncIterator]();
      // Closing the source ends the read below that waits for it (racing each read against the
      // stop instead would leave a reaction on the stop per event, for the subscription's life).
      void stop.then(() => iterator.return?.()).catch(() => {});
      queues.add(queue);
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done) break;
          if (queue.length >= maxQueued) {
            queue.clear();
            lagged += 1;
            void push(lagging());
            break;
          }
          // Resolves when the client takes it; waiting here would bring back the unbounded
          // queue, upstream in the bus.
          void push(next.value);
        }
      } finally {
        queues.delete(queue);
        stop();
        await iterator.return?.();
      }
    }, queue);
  }

  const plugin: Plugin = {
    onSubscribe: () => ({
      onSubscribeResult: ({ result, setResult }) => {
        if (!isAsyncIterable(result) || DIRECTLY_DELIVERED in result) return;
        setResult(
          bound<ExecutionResult>(result, () => ({ errors: [new SubscriptionLagging(maxQueued)] })),
        );
      },
    }),
  };

  /** The same bound for a subscription whose transport writes its results out itself. */
  function direct(): DirectBacklog {
    const queue = { length: 0 };
    queues.add(queue);
    return {
      admit() {
        if (queue.length >= maxQueued) {
          lagged += 1;
          return false;
        }
        queue.length += 1;
        return true;
      },
      drained() {
        queue.length = 0;
      },
      lagging: () => ({ errors: [new SubscriptionLagging(maxQueued)] }),
      close() {
        queues.delete(queue);
      },
    };
  }

  return {
    plugin,
    direct,
    snapshot(): BacklogSnapshot {
      let queued = 0;
      let deepest = 0;
      for (const queue of queues) {
        queued += queue.length;
        deepest = Math.max(deepest, queue.length);
      }
      return { subscriptions: queues.size, queued, deepest, lagged };
    },
  };
}

export type SubscriptionBacklog = ReturnType<typeof createSubscriptionBacklog>;
