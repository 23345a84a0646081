import type { IncomingMessage } from 'node:http';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Context, Viewer } from '../context.ts';
import { createLoaders } from '../graphql/loaders.ts';
import type { Services } from '../services.ts';
import type { ViewerResolver } from '../users/viewer.ts';
import { type ClientAddress, limitGroupOf, UNKNOWN_ADDRESS } from './client-address.ts';

/** What the HTTP handler and the WebSocket server hand yoga for each operation. */
export type ServerContext = {
  req: IncomingMessage;
  request?: Request;
  connectionParams?: Record<string, unknown>;
  /** The WebSocket of a graphql-ws operation. */
  socket?: unknown;
};

export function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return headers;
}

/**
 * How long a graphql-ws connection's viewer is reused before its credentials are looked up
 * again. A WebSocket presents the same cookie or token for its whole life, and looking it up for
 * every operation put a database query in front of each signal of a join; a session ended or a
 * token revoked meanwhile stops working on an open socket within this time (a subscription
 * keeps the viewer it started with, as before). HTTP requests are looked up every time.
 */
export const SOCKET_VIEWER_RECHECK_MS = 5_000;

/**
 * Past this age an operation still uses the connection's viewer but looks it up again meanwhile,
 * so a connection in use never waits for the lookup (only one idle past the recheck does).
 */
export const SOCKET_VIEWER_REFRESH_MS = SOCKET_VIEWER_RECHECK_MS / 2;

/** Builds each operation's context: who is calling, and the app's services. */
export function createContextFactory(
  prisma: PrismaClient,
  services: Services,
  resolveViewer: ViewerResolver,
  clientAddress: ClientAddress = (req) => req.socket.remoteAddress ?? UNKNOWN_ADDRESS,
) {
  type Known = { viewer: Promise<Viewer | null>; at: number; refreshing?: boolean };
  const socketViewers = new WeakMap<object, Known>();

  function viewerOf(server: ServerContext): Promise<Viewer | null> {
    const headers = server.request?.headers ?? headersOf(server.req);
    const socket = server.socket;
    if (typeof socket !== 'object' || socket === null) {
      return resolveViewer(headers, server.connectionParams);
    }
    const lookUp = () => {
      const viewer = resolveViewer(headers, server.connectionParams);
      return { viewer, at: Date.now() };
    };
    const known = socketViewers.get(socket);
    const age = known ? Date.now() - known.at : Number.POSITIVE_INFINITY;
    if (known && age < SOCKET_VIEWER_RECHECK_MS) {
      if (age >= SOCKET_VIEWER_REFRESH_MS && !known.refreshing) {
        known.refreshing = true;
        const fresh = lookUp();
        // The answer replaces the one in use once it is in; a failed one is dropped, and the
        // viewer in use then runs out at the recheck as before.
        fresh.viewer.then(
          () => {
            if (socketViewers.get(socket) === known) socketViewers.set(socket, fresh);
          },
          () => {
            known.refreshing = false;
          },
        );
      }
      return known.viewer;
    }
    const looked = lookUp();
    socketViewers.set(socket, looked);
    // A failed lookup is not kept: the next operation asks again.
    looked.viewer.catch(() => {
      if (socketViewers.get(socket) === looked) socketViewers.delete(socket);
    });
    return looked.viewer;
  }

  return async (server: ServerContext): Promise<Context> => {
    const viewer = await viewerOf(server);
    const clientIp = clientAddress(server.req);
    const clientKey = viewer ? `user:${viewer.userId}` : `ip:${limitGroupOf(clientIp)}`;
    const loaders = createLoaders(prisma, viewer?.userId ?? null, services.spaces.mayHear);
    const transport = server.socket ? 'websocket' : 'http';
    return { viewer, prisma, services, clientIp, clientKey, transport, loaders };
  };
}
