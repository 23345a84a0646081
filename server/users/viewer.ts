import type { Viewer } from '../context.ts';
import type { ApiTokenService } from './api-token.service.ts';
import type { Auth } from './auth.ts';

/**
 * Finds who is calling from request headers: a bearer API token first, then a session cookie.
 * Over graphql-ws the upgrade request's cookies count, and so does an `authorization`
 * connection parameter, since browsers cannot set headers on a WebSocket.
 */
export function createViewerResolver(auth: Auth, apiTokens: ApiTokenService) {
  return async (
    headers: Headers,
    connectionParams?: Record<string, unknown>,
  ): Promise<Viewer | null> => {
    const authorization = connectionParams?.['authorization'] ?? headers.get('authorization');
    if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
      const userId = await apiTokens.authenticate(authorization.slice('Bearer '.length).trim());
      return userId ? { userId, via: 'token' } : null;
    }
    if (!headers.get('cookie')) return null;
    const session = await auth.api.getSession({ headers });
    return session ? { userId: session.user.id, via: 'session' } : null;
  };
}

export type ViewerResolver = ReturnType<typeof createViewerResolver>;
