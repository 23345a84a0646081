import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import sirv from 'sirv';

/** Where `vite build` puts the web client. */
export const webClientDir = path.join(import.meta.dirname, '..', '..', 'dist', 'web');

/**
 * Serves the built web client, or null when it has not been built (API-only deployments and
 * API tests). Unknown paths fall through to the caller.
 */
export function webClientHandler(dir = webClientDir) {
  if (!existsSync(dir)) return null;
  const serve = sirv(dir, { etag: true, gzip: false, brotli: false, dev: false });
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => serve(req, res, next);
}
