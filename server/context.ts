import type { PrismaClient } from '../prisma/generated/client/client.ts';
import type { Loaders } from './graphql/loaders.ts';
import type { Services } from './services.ts';

/** Who is asking: a signed-in user, through a session cookie or a personal API token. */
export type Viewer = { userId: string; via: 'session' | 'token' };

export type Context = {
  viewer: Viewer | null;
  prisma: PrismaClient;
  services: Services;
  /**
   * The calling client's address: the socket's peer, or what `X-Forwarded-For` says when that
   * peer is a trusted proxy (`TRUSTED_PROXIES`). Count limits by `limitGroupOf(clientIp)`.
   */
  clientIp: string;
  /** Identifies the caller for rate limits: the user, or the client address when signed out. */
  clientKey: string;
  /** How the operation came: over graphql-ws, whose server notices a vanished client, or HTTP. */
  transport: 'websocket' | 'http';
  /** Batched, per-operation loads by database id (queries only; see loaders.ts). */
  loaders: Loaders;
};
