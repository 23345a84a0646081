import { type ExecutionResult, GraphQLError } from 'graphql';
import type { Listenable } from './event-stream.ts';

/**
 * Where a subscription's results can be written straight out, one after the other: a graphql-ws
 * socket (server/http/graphql-ws.ts puts one in the operation's context).
 */
export type DirectSink = {
  /** Writes one result out. */
  send(result: ExecutionResult): void;
  /** Whether some of what was written still waits in this process for the client to read it. */
  waiting(): boolean;
};

export const directSinkOf = (context: unknown): DirectSink | undefined =>
  (context as { directSink?: DirectSink } | null)?.directSink;

/**
 * How many of a subscription's results wait for its client (subscription-backlog.ts): those
 * written since the connection last had nothing waiting.
 */
export type DirectBacklog = {
  /** Counts one more result waiting; false, with the lag counted, when it would be too many. */
  admit(): boolean;
  /** Nothing waits any more: the client read everything written. */
  drained(): void;
  /** The subscription's last result when its client fell too far behind. */
  lagging(): ExecutionResult;
  close(): void;
};

type Outcome = { ok: true; value: ExecutionResult } | { ok: false; error: unknown };

/** What waits on each result, run by one reaction in the order it came. */
const waitingOn = new WeakMap<Promise<ExecutionResult>, ((outcome: Outcome) => void)[]>();

/**
 * Calls `then` once `result` settles, after everything registered on it before. One reaction per
 * result serves all its subscribers, instead of a promise per subscriber and result.
 */
function whenSettled(result: Promise<ExecutionResult>, then: (outcome: Outcome) => void) {
  let waiting = waitingOn.get(result);
  if (!waiting) {
    const callbacks: ((outcome: Outcome) => void)[] = [];
    waiting = callbacks;
    waitingOn.set(result, callbacks);
    const run = (outcome: Outcome) => {
      waitingOn.delete(result);
      for (const callback of callbacks) {
        try {
          callback(outcome);
        } catch (error) {
          // One subscriber's failure must not keep the result from the others.
          console.error('delivering a subscription result failed', error);
        }
      }
    };
    result.then(
      (value) => run({ ok: true, value }),
      (error: unknown) => run({ ok: false, error }),
    );
  }
  waiting.push(then);
}

/** Marks the iterator of a directly delivered subscription, which never yields a value. */
export const DIRECTLY_DELIVERED = Symbol('directly delivered');

/**
 * Delivers a subscription by writing each result to `sink` as soon as it is ready, in the order
 * of `source`, instead of through a chain of async iterators per subscriber (the source's layers,
 * the execution, the backlog, graphql-ws). That chain cost about a hundred microseconds of CPU
 * per event and subscriber, so a space's event to a crowd of watchers took seconds of a core;
 * here it is a callback and a socket write, with one promise reaction per result for everyone.
 *
 * The iterator returned yields nothing and ends when the subscription does (the source ended,
 * after its last result is written, or the client fell behind), so the transport sends its
 * `complete` after every result; closing it stops listening.
 */
export function deliverDirectly<S>(
  source: Listenable<S>,
  resultOf: (value: S) => Promise<ExecutionResult>,
  sink: DirectSink,
  backlog: DirectBacklog,
): AsyncIterableIterator<ExecutionResult> {
  let finished = false;
  let stopListening = () => {};
  let last: Promise<ExecutionResult> | undefined;
  /** The last write left something waiting for the client. */
  let behind = false;
  let ended = () => {};
  const end = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const done = { done: true as const, value: undefined };

  const finish = () => {
    if (finished) return;
    finished = true;
    stopListening();
    backlog.close();
    ended();
  };
  const write = (result: ExecutionResult) => {
    if (finished) return;
    if (behind && !sink.waiting()) backlog.drained();
    if (!backlog.admit()) {
      sink.send(backlog.lagging());
      finish();
      return;
    }
    sink.send(result);
    behind = sink.waiting();
    if (!behind) backlog.drained();
  };
  const fail = (error: unknown) => {
    if (finished) return;
    const failure =
      error instanceof GraphQLError
        ? error
        : new GraphQLError('Unexpected error.', {
            originalError: error instanceof Error ? error : undefined,
          });
    sink.send({ errors: [failure] });
    finish();
  };

  const deliver = (outcome: Outcome) => (outcome.ok ? write(outcome.value) : fail(outcome.error));
  stopListening = source.listen(
    (value) => {
      try {
        last = resultOf(value);
      } catch (error) {
        fail(error);
        return;
      }
      whenSettled(last, deliver);
    },
    // After the last result is written: callbacks on one result run in the order they came.
    () => (last ? whenSettled(last, finish) : finish()),
  );
  if (finished) stopListening();

  return {
    [DIRECTLY_DELIVERED]: true,
    next: () => end.then(() => done),
    async return() {
      finish();
      return done;
    },
    async throw(error: unknown) {
      finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncIterableIterator<ExecutionResult>;
}
