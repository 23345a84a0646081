/**
 * Messages between the bench process (the relay, the UDP fan-out) and the two peers processes
 * (the timing one: the speaker, the timed listeners, the fan-out's receivers; the counting one:
 * every other listener), over Node's IPC channel. Every request carries an id; a peers process
 * answers each with a reply of the same id, so join lanes can overlap.
 */

/** How the fan-out protects each copy: nothing, SRTP's AES-128-CTR + HMAC-SHA1-80, or AES-128-GCM. */
export type Protection = 'plain' | 'ctr-hmac' | 'gcm';

/** Key material of one SRTP-like context; unused fields are ignored by the plain fan-out. */
export type Keys = { key: Uint8Array; salt: Uint8Array; authKey: Uint8Array };

/** Where the speaker sends: nowhere (silent), the relay, or the fan-out's ingress port. */
export type SpeakerTarget =
  | { kind: 'silent' }
  | { kind: 'relay' }
  | { kind: 'udp'; port: number; protection: Protection; keys: Keys };

export type ToPeers =
  | { type: 'capture' }
  | { type: 'speaker'; offer: string }
  | { type: 'speaker-connected' }
  | { type: 'target'; target: SpeakerTarget }
  | { type: 'listen'; offer: string }
  /** Closes and forgets the newest `count` listeners (joined only to time their joins). */
  | { type: 'leave'; count: number }
  | { type: 'ready' }
  | { type: 'udp-open'; count: number }
  | { type: 'udp-close' }
  /** Times the speaker's packets from its next one on, at this process's listeners. */
  | { type: 'measure'; audience: 'relay' | 'udp'; windowMs: number; graceMs: number }
  /** Starts recording every packet this process's listeners receive (counting process). */
  | { type: 'count-open'; audience: 'relay' | 'udp' }
  /** Stops, and counts receipts of the `sent` packets from `firstSequence` on. */
  | { type: 'count-close'; firstSequence: number; sent: number };

export type Request = ToPeers & { id: number };

/** Sizes of the Opus payloads captured from libwebrtc's encoder. */
export type Capture = {
  packets: number;
  meanBytes: number;
  minBytes: number;
  maxBytes: number;
  /** The peers process's STUN responder, for the relay's werift to use (see stun-responder.ts). */
  stunUrl: string;
};

/** Listeners that hear the speaker's slot, those whose connection failed, and the speaker's state. */
export type ReadyCount = { listeners: number; ready: number; failed: number; speaker: string };

/** One measurement window as the peers process saw it. */
export type WindowResult = {
  listeners: number;
  /** Of those, the listeners whose every packet was timed (the rest were counted only). */
  timedListeners: number;
  /** The window's first packet, and how many the speaker sent; each was due at every listener. */
  firstSequence: number;
  sent: number;
  received: number;
  /** Milliseconds from the speaker's send call to a timed listener's receipt, over every receipt. */
  p50: number;
  p99: number;
  max: number;
  /**
   * The longest time between two packets arriving at one listener (the speaker sends every
   * 20 ms): what a listener hears as a stall.
   */
  maxGap: number;
  /**
   * The longest such gap less the time within it that the timing process's own event loop was
   * stalled (its speaker's sends and its receipts run on that loop): what remains is the path's
   * (relay, kernel, libdatachannel), never less than one packet interval.
   */
  maxGapBeyondStalls: number;
  /** Total time the timing process's loop was stalled (> 2 ms late) in the window, in ms. */
  stalledMs: number;
  /** The speaker's sends more than 5 ms behind schedule: its own process was busy. */
  lateSends: number;
  /** RTP seen on a slot other than the speaker's, since the previous window (should be 0). */
  strays: number;
  /** CPU of the timing process over the window, as a share of one core. */
  cpu: number;
  /** The speaker's packets in the window: RTP timestamp and send time on the shared clock (ms). */
  sends: { timestamp: number; at: number }[];
  /** p99 of the timing process's event-loop delay over the window (ms): its own lateness. */
  loopDelayP99: number;
  loopDelayMax: number;
};

/** One counting window: receipts of the timing window's packets at the counted listeners. */
export type CountResult = {
  listeners: number;
  received: number;
  /** RTP seen on a slot other than the speaker's, since the previous window (should be 0). */
  strays: number;
};

export type Replies = {
  capture: Capture;
  speaker: { answer: string };
  'speaker-connected': { srtpProfile: string };
  target: Record<string, never>;
  listen: { answer: string };
  leave: Record<string, never>;
  ready: ReadyCount;
  'udp-open': { ports: number[] };
  'udp-close': Record<string, never>;
  measure: WindowResult;
  'count-open': Record<string, never>;
  'count-close': CountResult;
};

export type Reply =
  | { id: number; ok: true; value: Replies[ToPeers['type']] }
  | { id: number; ok: false; error: string };

/** The speaker's participant id in the relay's space. */
export const SPEAKER_ID = 'speaker';

/**
 * Milliseconds on CLOCK_MONOTONIC (process.hrtime), one clock for every process on the host, so
 * the relay's moments and the speaker's sends can be set against each other across processes.
 */
export const now = () => Number(process.hrtime.bigint()) / 1e6;
