import type { Page } from 'playwright-core';
import { ascending, ms, percentile } from '../subscriptions/stats.ts';

/**
 * One request the page made after the click, in ms after it; `answered`: its first reply;
 * `count`: how many it stands for (files).
 */
export type RoomRequest = { name: string; sent: number; answered?: number; count?: number };

type LoggedMessage = { socket: number; id: string; at: number; name?: string };
type RequestsWindow = {
  /** Set by firstAudioProbe. */
  firstAudio?: { clickedAt?: number };
  roomRequests?: { sent: LoggedMessage[]; replies: LoggedMessage[]; closedPeers: number };
};

/**
 * An init script for the web client: logs every GraphQL operation its graphql-ws sockets send
 * (by operation name) and the first reply to each, and counts closed peer connections (the
 * app's WebRTC warm-up closes the one it makes). Times are `performance.now()` in the page.
 */
export function roomRequestsProbe() {
  const log = { sent: [] as LoggedMessage[], replies: [] as LoggedMessage[], closedPeers: 0 };
  (window as RequestsWindow).roomRequests = log;
  const close = RTCPeerConnection.prototype.close;
  RTCPeerConnection.prototype.close = function (this: RTCPeerConnection) {
    log.closedPeers++;
    close.call(this);
  };
  let sockets = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    readonly #socket = sockets++;

    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', ({ data }) => {
        const message = typeof data === 'string' ? (JSON.parse(data) as { id?: string }) : {};
        if (message.id)
          log.replies.push({ socket: this.#socket, id: message.id, at: performance.now() });
      });
    }

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (typeof data === 'string') {
        const message = JSON.parse(data) as {
          id?: string;
          type?: string;
          payload?: { query?: string };
        };
        // Named operations by their name, the media module's anonymous ones by their root field.
        const query = message.payload?.query ?? '';
        const named = /\b(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1];
        const name = named ?? /\{\s*(\w+)/.exec(query)?.[1] ?? '?';
        if (message.type === 'subscribe' && message.id) {
          log.sent.push({
            socket: this.#socket,
            id: message.id,
            at: performance.now(),
            name,
          });
        }
      }
      super.send(data);
    }
  };
}

/** Waits until the web client's WebRTC warm-up (web/src/media/warm-up.ts) has closed its peer. */
export async function waitWarmedUp(page: Page) {
  await page.waitForFunction(
    () => ((window as RequestsWindow).roomRequests?.closedPeers ?? 0) > 0,
    undefined,
    {
      timeout: 30_000,
      polling: 20,
    },
  );
}

/**
 * The operations sent after the click (as firstAudioProbe saw it), each with its first reply,
 * and the script and style files fetched after it, in the order they went out.
 */
export function readRoomRequests(page: Page): Promise<RoomRequest[]> {
  return page.evaluate(() => {
    const { roomRequests: log, firstAudio } = window as RequestsWindow;
    const click = firstAudio?.clickedAt ?? Number.POSITIVE_INFINITY;
    const requests: RoomRequest[] = [];
    for (const sent of log?.sent ?? []) {
      if (sent.at < click) continue;
      const reply = log?.replies.find(
        (r) => r.socket === sent.socket && r.id === sent.id && r.at >= sent.at,
      );
      requests.push({
        name: sent.name ?? '?',
        sent: sent.at - click,
        ...(reply ? { answered: reply.at - click } : {}),
      });
    }
    // The room's lazily loaded script and style files, as one request: first asked, last in.
    const files = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
      (entry) => entry.startTime >= click && /\.(js|css)$/.test(new URL(entry.name).pathname),
    );
    if (files.length > 0) {
      requests.push({
        name: 'GET files',
        sent: Math.min(...files.map((file) => file.startTime)) - click,
        answered: Math.max(...files.map((file) => file.responseEnd)) - click,
        count: files.length,
      });
    }
    return requests.sort((a, b) => a.sent - b.sent);
  });
}

const median = (values: number[]) => percentile(ascending(values), 50);

/**
 * A row per operation (or the files) the room page asked for after the click, in the order they
 * went out (by median): in how many of the joins, how many times in one, and the p50 ms after the
 * click it was sent and first answered (over the joins it was answered in). A request made more
 * than once in a join is timed by its first.
 */
export function roomRequestRows(joins: readonly RoomRequest[][]): string[][] {
  const byName = new Map<string, { sent: number[]; answered: number[]; times: number[] }>();
  for (const requests of joins) {
    const counted = new Map<string, number>();
    for (const { name, sent, answered, count = 1 } of requests) {
      counted.set(name, (counted.get(name) ?? 0) + count);
      if ((counted.get(name) ?? 0) > count) continue;
      const seen = byName.get(name) ?? { sent: [], answered: [], times: [] };
      byName.set(name, seen);
      seen.sent.push(sent);
      if (answered !== undefined) seen.answered.push(answered);
    }
    for (const [name, times] of counted) byName.get(name)?.times.push(times);
  }
  return [...byName]
    .map(([name, seen]) => ({ name, seen, sent: median(seen.sent) }))
    .sort((a, b) => a.sent - b.sent)
    .map(({ name, seen, sent }) => [
      name,
      `${seen.sent.length}/${joins.length}`,
      String(median(seen.times)),
      ms(sent),
      ms(median(seen.answered)),
    ]);
}
