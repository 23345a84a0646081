import type { IncomingMessage } from 'node:http';
import { getSessionCookie } from 'better-auth/cookies';
import type { VerifyClientCallbackAsync } from 'ws';
import { nodeHeaders, type OriginPolicy } from './origin-policy.ts';
import type { Admission } from './router.ts';

/**
 * Refuses (429) an upgrade from an address out of its request budget, as the router refuses its
 * requests, and (403) a WebSocket upgrade that a page of a foreign origin opens with the visitor's
 * session cookie: cross-site WebSocket hijacking. Browsers send cookies with the upgrade and
 * every operation on the socket would act as the visitor. A foreign page without a session
 * cookie is let in: its socket can only be anonymous or authenticate with a token in its
 * connection parameters (which come after the upgrade, so they cannot be asked for here).
 */
export function verifyUpgrade(
  origins: OriginPolicy,
  admission: Admission,
): VerifyClientCallbackAsync {
  return ({ req }: { req: IncomingMessage }, accept) => {
    const verdict = admission.budget?.admit(admission.clientGroup(req), 1);
    if (verdict && !verdict.admitted) {
      accept(false, 429, 'Too Many Requests', { 'retry-after': String(verdict.retryAfterSeconds) });
      return;
    }
    const cookie = req.headers.cookie;
    const hasSession = cookie !== undefined && getSessionCookie(new Headers({ cookie })) !== null;
    if (hasSession && origins.isForeign(nodeHeaders(req))) {
      accept(false, 403, 'Forbidden: a page of another origin may not use this session');
      return;
    }
    accept(true);
  };
}
