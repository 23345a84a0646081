import type { RelayErrorReason } from '../relay/relay-error.ts';
import type { RelayConfig, RelayStats } from '../relay/relay-types.ts';

/**
 * The control channel between the API process and a relay worker: child_process IPC with the
 * structured-clone serialization for a local worker, the same messages v8-serialized over Redis
 * pub/sub for a remote one (remote-worker-channel.ts). The API owns decisions (who publishes,
 * which worker holds whom); the worker owns packets.
 */

/** Where a worker's pipe socket is reached. */
export type PipeAddress = { host: string; port: number };

/** A worker a space's packets are piped to or from: its pipe and the sender id it seals with. */
export type PipeTarget = PipeAddress & { senderId: number };

/** How a worker pipes: the pool's key, its own sender id, where to bind and what to announce. */
export type PipeSetup = {
  /** The pool's AES-256-GCM key (pipe-seal.ts). */
  key: Uint8Array;
  /** Unique under `key`: the API gives each worker start a new one. */
  senderId: number;
  bind: { address: string; port: number };
  /** The address other workers send to; the bound address when it is not 0.0.0.0. */
  host: string;
};

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
  | { type: 'start'; config: RelayConfig; pipe: PipeSetup }
  | { type: 'setPublishers'; spaceId: string; participantIds: string[] }
  /** Send the space's publisher packets received here to the API (captions, recordings). */
  | { type: 'tap'; spaceId: string; on: boolean }
  /**
   * The other workers holding the space: its publishers received here are piped to them, and
   * only their datagrams for the space are accepted.
   */
  | { type: 'pipeTargets'; spaceId: string; targets: PipeTarget[] }
  /** A publisher left the space elsewhere: forget what was piped from it. */
  | { type: 'dropPiped'; spaceId: string; participantId: string }
  /** Seal and open with this key and sender id from now on: the pool joined other pools. */
  | { type: 'rekey'; key: Uint8Array; senderId: number };

export type ApiToWorker = WorkerCommand | (WorkerCall & { id: number });

/** A publisher's packet received here, for the API's taps (captions, recordings). */
export type TappedPacket = {
  spaceId: string;
  participantId: string;
  payload: Uint8Array;
  rtpTimestamp: number;
};

export type WorkerFailure = { reason: RelayErrorReason | null; message: string };

export type WorkerToApi =
  /** The worker's relay runs; other workers pipe packets to `pipe`. */
  | { type: 'ready'; pipe: PipeAddress }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: WorkerFailure }
  | { type: 'sessionClosed'; sessionId: string }
  /** Publishers' packets of tapped spaces, a few at a time (tap-batch.ts). */
  | { type: 'tapped'; packets: TappedPacket[] }
  | { type: 'stats'; forwardedPackets: number; droppedPackets: number };

export type { RelayStats };
