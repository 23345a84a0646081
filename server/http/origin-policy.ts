import type { IncomingMessage } from 'node:http';

/** Reads one request header, whichever request type carries it. */
export type HeaderReader = (name: string) => string | null | undefined;

/**
 * Which browser origins may act with a visitor's cookies: `PUBLIC_URL`'s origin, the configured
 * `CORS_ORIGINS`, and the server's own origin as the request names it (a page served by this
 * server at an address other than `PUBLIC_URL`, e.g. a LAN address, is still same-origin).
 */
export function createOriginPolicy(publicUrl: string, corsOrigins: readonly string[]) {
  const allowed = new Set([new URL(publicUrl).origin, ...corsOrigins]);

  const isAllowed = (origin: string, host: string | null | undefined) => {
    if (allowed.has(origin)) return true;
    try {
      return Boolean(host) && new URL(origin).host === host;
    } catch {
      // `Origin: null` (sandboxed frames, file: pages) or garbage.
      return false;
    }
  };

  return {
    /** The allowlist, for better-auth's callback URL checks. */
    allowedOrigins: [...allowed],

    /** Whether the request's Origin may get credentialed CORS responses. */
    isAllowed,

    /**
     * True when a browser sent the request from a page of another origin. A request with no
     * Origin (nor Referer) comes from a script or a server, which cannot carry a visitor's
     * cookies, so it is not foreign: CSRF needs the victim's browser, and browsers send Origin on
     * every cross-origin request that could change something.
     */
    isForeign(header: HeaderReader): boolean {
      const origin = header('origin') ?? refererOrigin(header('referer'));
      if (origin === null) {
        const site = header('sec-fetch-site');
        return site === 'cross-site' || site === 'same-site';
      }
      return !isAllowed(origin, header('host'));
    },
  };
}

function refererOrigin(referer: string | null | undefined): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>;

/** A HeaderReader over a Node request's headers. */
export const nodeHeaders =
  (req: IncomingMessage): HeaderReader =>
  (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
