import type { ServerResponse } from 'node:http';
import type { Services } from '../services.ts';
import { spaceIdOf } from './space-id-param.ts';

const route = /^\/spaces\/([^?]+)\.ics(?:\?.*)?$/;

/**
 * `GET /spaces/<global id>.ics`: a scheduled space as an iCalendar file. Returns false for any
 * other URL, so the caller can go on to its next handler.
 */
export function serveCalendar(url: string, res: ServerResponse, services: Services): boolean {
  const match = route.exec(url);
  if (!match?.[1]) return false;
  const spaceId = spaceIdOf(match[1]);
  const notFound = () => res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  if (!spaceId) {
    notFound();
    return true;
  }
  services.calendar
    .forSpace(spaceId)
    .then((ics) => {
      if (!ics) {
        notFound();
        return;
      }
      res
        .writeHead(200, {
          'content-type': 'text/calendar; charset=utf-8',
          'content-disposition': 'attachment; filename="space.ics"',
        })
        .end(ics);
    })
    .catch((error: unknown) => {
      console.error('calendar file failed', error);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal error');
    });
  return true;
}
