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
 * Serves the built web client, or null when it has not been built (API-only deployments and
 * API tests). Unknown paths fall through to the caller.
 */
export function webClientHandler(dir = webClientDir) {
  if (!existsSync(dir)) return null;
  const serve = sirv(dir, { etag: true, gzip: false, brotli: false, dev: false });
  const hasApp = existsSync(path.join(dir, 'index.html'));
  return (req: IncomingMessage, res: ServerResponse, next: () => void) =>
    serve(req, res, () => {
      if (!hasApp || !isAppRoute(req)) return next();
      // Rewrite to the shell and let sirv send it with its usual headers.
      req.url = '/index.html';
      serve(req, res, next);
    });
}
