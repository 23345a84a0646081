import type { ServerResponse } from 'node:http';
import type { BroadcastFile } from '../broadcast/broadcast.service.ts';
import type { Services } from '../services.ts';
import { spaceIdOf } from './space-id-param.ts';

const route = /^\/spaces\/([^/?]+)\/broadcast\/([^/?]+)\/([^/?]+)(?:\?.*)?$/;

/**
 * Caching, so a CDN or any HTTP cache can sit in front: a segment never changes under its name
 * (names carry the run), the playlist changes every segment (2 s), and refusals are never kept.
 */
const cacheControl = {
  segment: 'public, max-age=31536000, immutable',
  playlist: 'public, max-age=1',
  none: 'no-store',
} as const;

const refusals = {
  malformed: 'This broadcast needs a signed URL: ask the API for Space.broadcast.url.',
  forged: 'This broadcast URL is not valid.',
  expired: 'This broadcast URL has expired: ask the API for a new one.',
  ticketed: 'This space is ticketed: ticket holders get a signed URL from the API.',
} as const;

function reply(res: ServerResponse, file: BroadcastFile): void {
  const plain = (status: number, message: string, extra: Record<string, string> = {}) =>
    void res
      .writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': cacheControl.none,
        ...extra,
      })
      .end(message);
  if (file.kind === 'not-found') plain(404, 'Not found');
  else if (file.kind === 'refused') plain(403, refusals[file.reason]);
  else if (file.kind === 'starting') {
    plain(503, 'The broadcast is starting.', { 'retry-after': '1' });
  } else {
    res
      .writeHead(200, {
        'content-type': file.type,
        'cache-control': file.immutable ? cacheControl.segment : cacheControl.playlist,
        // Players on other origins (an embed, a CDN's domain) may fetch it: the URL is the key.
        'access-control-allow-origin': '*',
      })
      .end(file.body);
  }
}

/**
 * `GET /spaces/<global id>/broadcast/<token>/<file>`: a live space's HLS broadcast (playlist
 * `live.m3u8`, its init and media segments). `token` is `open` for a space that is not
 * ticketed, else a signature (broadcast-signature.ts). Returns false for any other URL.
 */
export function serveBroadcast(url: string, res: ServerResponse, services: Services): boolean {
  const match = route.exec(url);
  if (!match?.[1] || !match[2] || !match[3]) return false;
  const spaceId = spaceIdOf(match[1]);
  const [token, name] = [decodeURIComponent(match[2]), decodeURIComponent(match[3])];
  const answer = spaceId
    ? services.broadcast.file(spaceId, token, name)
    : Promise.resolve<BroadcastFile>({ kind: 'not-found' });
  answer
    .then((file) => reply(res, file))
    .catch((error: unknown) => {
      console.error('broadcast file failed', error);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'cache-control': cacheControl.none }).end('Internal error');
    });
  return true;
}
