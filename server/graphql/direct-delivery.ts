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

/** Marks the iterator of a directly delivered subscription, which never yields a value. */
export const DIRECTLY_DELIVERED = Symbol('directly delivered');

/**
 * Delivers a subscription by writing each result to `sink` as soon as it is ready, in the order
 * of `source`, instead of through a chain of async iterators per subscriber (the source's layers,
 * the execution, the backlog, graphql-ws). That chain cost about a hundred microseconds of CPU
 * per event and subscriber, so a space's event to a crowd of watchers took seconds of a core;
 * here it is a callback, a promise reaction and a socket write.
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
  let last: Promise<unknown> = Promise.resolve();
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
    if (!sink.waiting()) backlog.drained();
    if (!backlog.admit()) {
      sink.send(backlog.lagging());
      finish();
      return;
    }
    sink.send(result);
    if (!sink.waiting()) backlog.drained();
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

  stopListening = source.listen(
    (value) => {
      last = resultOf(value).then(write, fail);
    },
    () => void last.then(finish),
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
