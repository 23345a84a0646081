/**
 * Messages between the bench process (servers, publisher) and the subscriber process, over
 * Node's IPC channel with the structured-clone serializer so receipt times cross as one
 * Float64Array instead of a JSON list.
 */

/** How subscriber sockets speak: graphql-ws to Amphi, or plain frames from the raw broadcaster. */
export type SocketMode =
  | { kind: 'graphql-ws'; query: string; variables: Record<string, unknown> }
  | { kind: 'raw' };

export type ToSubscribers =
  | { type: 'clock'; benchNow: number }
  | { type: 'connect'; url: string; count: number; mode: SocketMode }
  /** Counts the next `events` messages on every socket; answers `received` when all are in. */
  | { type: 'expect'; events: number; timeoutMs: number }
  | { type: 'close' };

export type FromSubscribers =
  | { type: 'clock'; benchNow: number; subscribersNow: number }
  | { type: 'connected'; count: number; failed: number; firstError: string | undefined }
  | { type: 'expecting' }
  | {
      type: 'received';
      /** Receipt times in the subscribers' clock, socket-major: `times[socket * events + i]`;
       * NaN where a message never came. */
      times: Float64Array;
      events: number;
      /** Messages that were not a `next` (an error or complete), and the first of them. */
      unexpected: number;
      firstUnexpected: string | undefined;
      /** The first message received, byte for byte: the raw broadcaster sends one like it. */
      sample: string | undefined;
      timedOut: boolean;
    }
  | { type: 'closed' };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();
