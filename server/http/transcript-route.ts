import type { ServerResponse } from 'node:http';
import { NotFound } from '../errors.ts';
import type { Services } from '../services.ts';
import { spaceIdOf } from './space-id-param.ts';

const route = /^\/spaces\/([^/?]+)\/transcript\.(txt|vtt)(?:\?.*)?$/;

const contentTypes = { txt: 'text/plain; charset=utf-8', vtt: 'text/vtt; charset=utf-8' };

/**
 * `GET /spaces/<global id>/transcript.txt|.vtt`: an ended space's transcript, open to whoever
 * can see the space (every space is public). 409 while the space is not over. Returns false for
 * any other URL.
 */
export function serveTranscript(url: string, res: ServerResponse, services: Services): boolean {
  const match = route.exec(url);
  if (!match?.[1] || !match[2]) return false;
  const format = match[2] as 'txt' | 'vtt';
  const spaceId = spaceIdOf(match[1]);
  const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') =>
    res.writeHead(status, { 'content-type': type }).end(body);
  if (!spaceId) {
    reply(404, 'Not found');
    return true;
  }
  services.spaces
    .requireObservable(spaceId)
    // The file is served without sign-in: a ticketed space's transcript is never public.
    .then(async (space) =>
      (await services.spaces.mayHear(space, null))
        ? services.captions.transcriptFile(spaceId, format)
        : 'forbidden',
    )
    .then((file) => {
      if (file === 'forbidden') {
        reply(403, 'This space was ticketed: ticket holders read its transcript through the API.');
        return;
      }
      if (file === null) {
        reply(409, 'The transcript is available once the space has ended.');
        return;
      }
      res
        .writeHead(200, {
          'content-type': contentTypes[format],
          'content-disposition': `attachment; filename="transcript.${format}"`,
        })
        .end(file);
    })
    .catch((error: unknown) => {
      if (error instanceof NotFound) {
        reply(404, 'Not found');
        return;
      }
      console.error('transcript file failed', error);
      reply(500, 'Internal error');
    });
  return true;
}
