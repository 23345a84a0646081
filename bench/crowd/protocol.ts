/**
 * Messages between the bench and its helper processes (subscribers, raw broadcaster), over Node's
 * IPC channel with the structured-clone serializer.
 */

/** How subscriber sockets speak: graphql-ws to Amphi, or plain frames from the raw broadcaster. */
export type SocketMode =
  | { kind: 'graphql-ws'; query: string; variables: Record<string, unknown> }
  | { kind: 'raw' };

export type Lags = {
  /** Sorted lags in ms over every delivery that came: receipt − the event's reference time. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  delivered: number;
  /** Deliveries due (an event times a socket) that never came. */
  missing: number;
};

export type ToSubscribers =
  | { type: 'clock'; benchNow: number }
  | { type: 'connect'; url: string; count: number; mode: SocketMode }
  /** Starts recording: every message from now on is timed under the handle it carries. */
  | { type: 'record' }
  /** Resolves `waited` once every socket has every handle, or at `timeoutMs`. */
  | { type: 'wait'; handles: string[]; timeoutMs: number }
  /** Lags against reference times already in the subscribers' clock, per handle. */
  | { type: 'lags'; reference: Record<string, number> }
  | { type: 'close' };

export type FromSubscribers =
  | { type: 'clock'; benchNow: number; subscribersNow: number }
  | {
      type: 'connected';
      count: number;
      failed: number;
      /** Attempts that failed and were tried again. */
      retried: number;
      firstError: string | undefined;
    }
  | { type: 'recording' }
  | {
      type: 'waited';
      timedOut: boolean;
      /** A socket's first ListenersChanged as received, for the raw broadcaster to copy. */
      sample: string | undefined;
      /** Messages that were neither an event nor a keep-alive (errors, completes), the first. */
      unexpected: number;
      firstUnexpected: string | undefined;
      /** Sockets that closed while recording. */
      closed: number;
    }
  | { type: 'lags'; lags: Lags }
  | { type: 'closed' };

export type ToBroadcaster =
  | { type: 'listen' }
  /** Sends `messages` to every client, message i at `start + i * intervalMs` (bench clock). */
  | { type: 'broadcast'; messages: string[]; intervalMs: number };

export type FromBroadcaster =
  | { type: 'listening'; port: number }
  /** When each message went out, in the broadcaster's clock (≈ the bench's: see `now`). */
  | { type: 'broadcast'; sentAt: number[]; clients: number };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();

/** The handles of the people a ListenersChanged message lists, found without parsing it. */
export function handlesIn(message: string): string[] {
  const marker = '"handle":"';
  const handles: string[] = [];
  for (let at = message.indexOf(marker); at >= 0; at = message.indexOf(marker, at)) {
    const start = at + marker.length;
    const end = message.indexOf('"', start);
    if (end < 0) break;
    handles.push(message.slice(start, end));
    at = end;
  }
  return handles;
}
