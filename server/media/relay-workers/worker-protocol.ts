import type { RelayErrorReason } from '../relay/relay-error.ts';
import type { RelayConfig, RelayStats } from '../relay/relay-types.ts';

/**
 * The control channel between the API process and a relay worker (child_process IPC with the
 * structured-clone serialization, so packets travel as bytes). The API owns decisions (who
 * publishes, which worker holds whom); the worker owns packets.
 */

/** Calls the API awaits, each answered by one `reply` with the same `id`. */
export type WorkerCall =
  | { type: 'open'; spaceId: string; participantId: string }
  | { type: 'answer'; sessionId: string; sdp: string }
  | { type: 'close'; spaceId: string; participantId: string }
  | { type: 'closeSpace'; spaceId: string }
  | { type: 'stop' };

/** What each call resolves with. */
export type WorkerCallResults = {
  open: { sessionId: string; offer: string };
  answer: undefined;
  close: undefined;
  closeSpace: undefined;
  stop: undefined;
};

/** Orders the API gives without waiting. */
export type WorkerCommand =
  | { type: 'start'; config: RelayConfig }
  | { type: 'setPublishers'; spaceId: string; participantIds: string[] }
  /** Send the space's publisher packets received here to the API (captions, recordings). */
  | { type: 'tap'; spaceId: string; on: boolean }
  /** Pipe the space's publishers received here to these workers' pipe ports. */
  | { type: 'pipeTargets'; spaceId: string; ports: number[] }
  /** A publisher left the space elsewhere: forget what was piped from it. */
  | { type: 'dropPiped'; spaceId: string; participantId: string };

export type ApiToWorker = WorkerCommand | (WorkerCall & { id: number });

export type WorkerFailure = { reason: RelayErrorReason | null; message: string };

export type WorkerToApi =
  /** The worker's relay runs; other workers pipe packets to `pipePort` on the loopback. */
  | { type: 'ready'; pipePort: number }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: WorkerFailure }
  | { type: 'sessionClosed'; sessionId: string }
  | {
      type: 'tapped';
      spaceId: string;
      participantId: string;
      payload: Uint8Array;
      rtpTimestamp: number;
    }
  | { type: 'stats'; forwardedPackets: number; droppedPackets: number };

export type { RelayStats };
