import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { maskError, type YogaServerInstance } from 'graphql-yoga';
import type { WebSocket, WebSocketServer } from 'ws';
import type { DirectSink } from '../graphql/direct-delivery.ts';
import { maskOutages } from '../outages/yoga-outages.ts';
import { overBudgetMessage } from './request-budget.ts';
import type { Admission } from './router.ts';

const rateLimited = (retryAfterSeconds: number) =>
  new GraphQLError(overBudgetMessage(retryAfterSeconds), {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
  });

/**
 * Close code of a socket whose client stopped reading: more than `socketMaxBufferedBytes` were
 * waiting for it when another message was due. Its operations are gone; reconnect and resync.
 */
export const LAGGING_CLOSE_CODE = 4413;

/** Results up to this size are copied into each subscriber's message; larger ones are shared. */
const COPIED_RESULT_BYTES = 1024;

type Enveloped = {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

/**
 * Serves graphql-ws on a WebSocket server through yoga's envelop, so queries, mutations and
 * subscriptions over the socket get the same context, limits (yoga's plugins: cost, lists,
 * rate limits) and masking as over HTTP. An operation that is refused or fails gets an answer of
 * its own: whatever it throws must not reach graphql-ws, which would close the socket and every
 * other subscription on it.
 */
export function serveGraphqlWs<ServerContext extends object, UserContext extends object>(
  yoga: YogaServerInstance<ServerContext, UserContext>,
  wss: WebSocketServer,
  admission: Admission,
  limits: { socketMaxBufferedBytes: number },
  /** How often each socket is pinged; one that misses a pong is dropped. @default 12_000 */
  keepAliveMs = 12_000,
) {
  const failure = (error: unknown): GraphQLError[] => {
    const masked = maskError(error, 'Unexpected error.', false);
    if (masked !== error) yoga.logger.error(error);
    return [masked instanceof GraphQLError ? masked : new GraphQLError('Unexpected error.')];
  };
  /**
   * Each result serialized once, however many subscriptions it goes to (one execution serves
   * every subscriber that shares it: shared-subscription-execution.ts), with the `}` that closes
   * the `next` message around it.
   */
  const serialized = new WeakMap<ExecutionResult, Buffer>();
  const payloadOf = (result: ExecutionResult) => {
    let bytes = serialized.get(result);
    if (bytes === undefined) {
      const { errors, ...rest } = result;
      const masked = errors?.map((error) => {
        const shown = maskOutages(error, 'Unexpected error.', false);
        if (shown !== error) yoga.logger.error(error);
        return shown instanceof GraphQLError ? shown : new GraphQLError('Unexpected error.');
      });
      bytes = Buffer.from(`${JSON.stringify(masked ? { ...rest, errors: masked } : rest)}}`);
      serialized.set(result, bytes);
    }
    return bytes;
  };
  /**
   * The socket as a subscription's direct sink (direct-delivery.ts). Each `next` message goes in
   * two WebSocket frames of one message: this operation's `{"id":…,"payload":` and the result's
   * shared bytes. Joining them would copy the result once per subscriber, and a crowd's room
   * events (a few kB each, to thousands of sockets) then filled the heap faster than it was
   * collected. Corking the connection puts both frames in one write. A small result (most
   * events) is cheaper copied into one frame than framed twice.
   */
  const sinkOf = (socket: WebSocket, connection: Socket, id: string): DirectSink => {
    const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
    return {
      send(result) {
        if (socket.bufferedAmount > limits.socketMaxBufferedBytes) {
          socket.close(LAGGING_CLOSE_CODE, 'Lagging: reconnect and resync');
        }
        const payload = payloadOf(result);
        if (payload.length <= COPIED_RESULT_BYTES) {
          socket.send(Buffer.concat([head, payload]), { binary: false });
          return;
        }
        connection.cork();
        socket.send(head, { binary: false, fin: false });
        socket.send(payload, { binary: false, fin: true });
        connection.uncork();
      },
      waiting: () => socket.bufferedAmount > 0,
    };
  };
  const run = async (operation: () => unknown) => {
    try {
      return await operation();
    } catch (error) {
      return { errors: failure(error) };
    }
  };
  return useServer(
    {
      execute: (args) => run(() => (args.rootValue as Enveloped).execute(args)) as never,
      subscribe: (args) => run(() => (args.rootValue as Enveloped).subscribe(args)) as never,
      // graphql-ws waits for each message of an operation to be written before it sends the
      // next, so a slow reader's backlog of events is bounded upstream (subscription-backlog.ts);
      // what can still pile up here is one message per operation, or the answers to queries it
      // keeps sending without reading them.
      onNext: (ctx) => {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > limits.socketMaxBufferedBytes) {
          socket.close(LAGGING_CLOSE_CODE, 'Lagging: reconnect and resync');
        }
      },
      onSubscribe: async (ctx, id, params) => {
        try {
          const req = ctx.extra.request as IncomingMessage;
          // Each operation on the socket spends what a request over HTTP would.
          const verdict = admission.budget?.admit(admission.clientGroup(req), 1);
          if (verdict && !verdict.admitted) return [rateLimited(verdict.retryAfterSeconds)];
          const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped(
            {
              ...ctx,
              req,
              socket: ctx.extra.socket,
              params,
              directSink: sinkOf(ctx.extra.socket, req.socket, id),
            },
          );
          const document = parse(params.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
          const operation = {
            schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
          };
          return {
            ...operation,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        } catch (error) {
          return failure(error);
        }
      },
    },
    wss,
    keepAliveMs,
  );
}
