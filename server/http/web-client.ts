import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import sirv from 'sirv';

/** Where `vite build` puts the web client. */
export const webClientDir = path.join(import.meta.dirname, '..', '..', 'dist', 'web');

/**
 * Client-side routes (`/spaces/<id>`, `/@handle`, `/signin`…) get the app's index.html: GET or
 * HEAD requests for a path without a file extension, outside the API.
 */
export function isAppRoute(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const pathname = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
  if (pathname.startsWith('/graphql') || pathname.startsWith('/api/')) return false;
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return !last.includes('.');
}

/**
 * Vite names what it builds into assets/ by content hash, so such a file never changes: browsers
 * keep it without asking again. Everything else (index.html above all, which names the current
 * hashes) is checked with the server on every use, so a deploy is seen at once.
 */
const cacheControl = {
  hashed: 'public, max-age=31536000, immutable',
  named: 'no-cache',
} as const;

/**
 * Serves the built web client, or null when it has not been built (API-only deployments and
 * API tests). Unknown paths fall through to the caller.
 */
export function webClientHandler(dir = webClientDir) {
  if (!existsSync(dir)) return null;
  const serve = sirv(dir, {
    etag: true,
    gzip: false,
    brotli: false,
    dev: false,
    setHeaders: (res, pathname) =>
      res.setHeader(
        'cache-control',
        pathname.startsWith('/assets/') ? cacheControl.hashed : cacheControl.named,
      ),
  });
  const hasApp = existsSync(path.join(dir, 'index.html'));
  return (req: IncomingMessage, res: ServerResponse, next: () => void) =>
    serve(req, res, () => {
      if (!hasApp || !isAppRoute(req)) return next();
      // Rewrite to the shell and let sirv send it with its usual headers.
      req.url = '/index.html';
      serve(req, res, next);
    });
}
