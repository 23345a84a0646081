import type { IncomingMessage, ServerResponse } from 'node:http';
import parseRange from 'range-parser';
import { AppError, NotFound, TicketRequired } from '../errors.ts';
import { idOfType } from '../ids.ts';
import { playbackKeyOf } from '../recordings/playback-file.ts';
import type { RecordingStorage } from '../recordings/recording-storage.ts';
import type { Services } from '../services.ts';

const routes = {
  recording: /^\/recordings\/([^/?]+)\/audio\.ogg(?:\?.*)?$/,
  clip: /^\/clips\/([^/?]+)\/audio\.ogg(?:\?.*)?$/,
};

/** The URL path of a recording's playback file, or of a clip's (by their global ids). */
export const recordingAudioPath = (recordingGlobalId: string) =>
  `/recordings/${encodeURIComponent(recordingGlobalId)}/audio.ogg`;
export const clipAudioPath = (clipGlobalId: string) =>
  `/clips/${encodeURIComponent(clipGlobalId)}/audio.ogg`;

/** Bytes sent per read from storage: a long file never sits whole in memory. */
const CHUNK = 256 * 1024;
/** Recordings never change once ready; a deleted one may linger this long in shared caches. */
const PUBLIC_MAX_AGE_S = 3600;

/** A request for an audio file of these routes: whose global id, of which kind. */
export function matchRecordingFile(url: string) {
  for (const kind of ['recording', 'clip'] as const) {
    const encoded = routes[kind].exec(url)?.[1];
    if (encoded === undefined) continue;
    let globalId: string;
    try {
      globalId = decodeURIComponent(encoded);
    } catch {
      return { kind, id: null };
    }
    return { kind, id: idOfType(globalId, kind === 'clip' ? 'Clip' : 'Recording') };
  }
  return null;
}

/**
 * `GET|HEAD /recordings/<id>/audio.ogg` and `/clips/<id>/audio.ogg`: the Ogg Opus file, with
 * single byte ranges (seeking), for whoever may play it by the space's rule: everyone for a
 * public space, the host team and ticket holders (by session cookie or API token) for a ticketed
 * one. Unknown or deleted: 404. Returns false for any other URL.
 */
export function serveRecordingFile(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
  viewerOf: (req: IncomingMessage) => Promise<string | null>,
): boolean {
  const url = req.url ?? '/';
  const match = matchRecordingFile(url);
  if (!match) return false;
  const reply = (status: number, body: string) =>
    void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  const { storage } = services.replay;
  if (!match.id || !storage) {
    reply(404, 'Not found');
    return true;
  }
  const id = match.id;
  (async () => {
    const userId = await viewerOf(req);
    if (match.kind === 'clip') {
      const opened = await services.replay.openClip(id, userId);
      await sendFile(req, res, storage, opened.clip.key, opened.public);
    } else {
      const opened = await services.replay.openRecording(id, userId);
      await sendFile(req, res, storage, playbackKeyOf(opened.recording.id), opened.public);
    }
  })().catch((error: unknown) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof NotFound) return reply(404, 'Not found');
    if (error instanceof TicketRequired) {
      return reply(403, 'This space was ticketed: only ticket holders and its hosts may play it.');
    }
    if (error instanceof AppError) return reply(409, error.message);
    console.error('recording file failed', error);
    reply(500, 'Internal error');
  });
  return true;
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  storage: RecordingStorage,
  key: string,
  isPublic: boolean,
) {
  const size = await storage.size(key);
  if (size === null) throw new NotFound('File', key);
  const headers: Record<string, string> = {
    'content-type': 'audio/ogg',
    'accept-ranges': 'bytes',
    'cache-control': isPublic ? `public, max-age=${PUBLIC_MAX_AGE_S}` : 'private, no-cache',
    etag: `"${key.replaceAll('/', '-')}-${size}"`,
  };
  // A ticketed file's answer depends on who asks; shared caches must not hand it on.
  if (!isPublic) headers['vary'] = 'Cookie, Authorization';
  let start = 0;
  let end = size;
  let status = 200;
  const ranges = req.headers.range ? parseRange(size, req.headers.range) : null;
  if (ranges === -1) {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` }).end();
    return;
  }
  // A malformed header is ignored, as RFC 9110 asks; several ranges are answered with the whole.
  if (Array.isArray(ranges) && ranges.length === 1 && ranges[0]) {
    start = ranges[0].start;
    end = ranges[0].end + 1;
    status = 206;
    headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
  }
  headers['content-length'] = String(end - start);
  res.writeHead(status, headers);
  if (req.method === 'HEAD') return void res.end();
  for (let at = start; at < end && !res.destroyed; at += CHUNK) {
    const bytes = await storage.readRange(key, at, Math.min(end, at + CHUNK));
    if (!res.write(bytes)) {
      await new Promise((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
  }
  res.end();
}
