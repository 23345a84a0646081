import { type ExecutionResult, GraphQLError } from 'graphql';
import type { Listenable } from './event-stream.ts';

/**
 * Where a subscription's results can be written straight out, one after the other: a graphql-ws
 * socket (server/http/graphql-ws.ts puts one in the operation's context).
 */
export type DirectSink = {
  /** Writes one result; `written` runs once the connection has taken it (or failed). */
  send(result: ExecutionResult, written: () => void): void;
};

export const directSinkOf = (context: unknown): DirectSink | undefined =>
  (context as { directSink?: DirectSink } | null)?.directSink;

/** How many of a subscription's results are on their way to its client (subscription-backlog.ts). */
export type DirectBacklog = {
  /** Counts one more result on its way; false, with the lag counted, when it would be too many. */
  admit(): boolean;
  /** One result reached the client's connection. */
  taken(): void;
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
  const taken = () => backlog.taken();

  const finish = () => {
    if (finished) return;
    finished = true;
    stopListening();
    backlog.close();
    ended();
  };
  const write = (result: ExecutionResult) => {
    if (finished) return;
    if (!backlog.admit()) {
      sink.send(backlog.lagging(), () => {});
      finish();
      return;
    }
    sink.send(result, taken);
  };
  const fail = (error: unknown) => {
    if (finished) return;
    const failure =
      error instanceof GraphQLError
        ? error
        : new GraphQLError('Unexpected error.', {
            originalError: error instanceof Error ? error : undefined,
          });
    sink.send({ errors: [failure] }, () => {});
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
