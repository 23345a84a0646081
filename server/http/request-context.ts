import type { IncomingMessage } from 'node:http';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Context } from '../context.ts';
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

/** Builds each operation's context: who is calling, and the app's services. */
export function createContextFactory(
  prisma: PrismaClient,
  services: Services,
  resolveViewer: ViewerResolver,
  clientAddress: ClientAddress = (req) => req.socket.remoteAddress ?? UNKNOWN_ADDRESS,
) {
  return async (server: ServerContext): Promise<Context> => {
    const headers = server.request?.headers ?? headersOf(server.req);
    const viewer = await resolveViewer(headers, server.connectionParams);
    const clientIp = clientAddress(server.req);
    const clientKey = viewer ? `user:${viewer.userId}` : `ip:${limitGroupOf(clientIp)}`;
    const loaders = createLoaders(prisma, viewer?.userId ?? null, services.spaces.mayHear);
    const transport = server.socket ? 'websocket' : 'http';
    return { viewer, prisma, services, clientIp, clientKey, transport, loaders };
  };
}
