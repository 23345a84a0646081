import type { MeshSignal } from './types.ts';

/** The signal data simple-peer emits and accepts, validated. */
export type PeerSignalData =
  | { type: 'offer' | 'answer'; sdp: string }
  | { type: 'candidate'; candidate: RTCIceCandidateInit }
  | { type: 'renegotiate'; renegotiate: true }
  | {
      type: 'transceiverRequest';
      transceiverRequest: { kind: string; init?: RTCRtpTransceiverInit };
    };

/**
 * A mesh signal as received. Each simple-peer instance has a session id chosen by the initiator:
 * it lets the answerer tell a fresh offer (the initiator recreated its peer) from a renegotiation,
 * and both sides drop signals meant for a peer they have already replaced.
 */
export type MeshWireSignal =
  | { kind: 'peer'; session: string; data: PeerSignalData[] }
  | { kind: 'reconnect'; session: string | null }
  | { kind: 'restart-ice'; session: string };

const RECONNECT = 'amphi-reconnect';
const RESTART_ICE = 'amphi-restart-ice';
const BATCH = 'amphi-batch';

/**
 * One signal is simple-peer's data plus a `peerSession` field, so the payload stays simple-peer's
 * own; several queued while a send was in flight go as one batch, as each send is an API call.
 */
export function encodeMeshSignal(signal: MeshWireSignal): MeshSignal {
  switch (signal.kind) {
    case 'peer': {
      const [only, ...rest] = signal.data;
      if (only && rest.length === 0) return { ...only, peerSession: signal.session };
      return { type: BATCH, signals: signal.data, peerSession: signal.session };
    }
    case 'reconnect':
      return { type: RECONNECT, peerSession: signal.session };
    case 'restart-ice':
      return { type: RESTART_ICE, peerSession: signal.session };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optional = (value: unknown, type: 'string' | 'number'): boolean =>
  value === undefined || value === null || typeof value === type;

function parseCandidate(value: unknown): RTCIceCandidateInit | null {
  if (!isRecord(value) || typeof value['candidate'] !== 'string') return null;
  const { sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (!optional(sdpMid, 'string') || !optional(sdpMLineIndex, 'number')) return null;
  if (!optional(usernameFragment, 'string')) return null;
  return {
    candidate: value['candidate'],
    sdpMid: (sdpMid as string | null | undefined) ?? null,
    sdpMLineIndex: (sdpMLineIndex as number | null | undefined) ?? null,
    ...(typeof usernameFragment === 'string' ? { usernameFragment } : {}),
  };
}

function parsePeerData(value: Record<string, unknown>): PeerSignalData | null {
  const type = value['type'];
  if ((type === 'offer' || type === 'answer') && typeof value['sdp'] === 'string') {
    return { type, sdp: value['sdp'] };
  }
  if (type === 'candidate') {
    const candidate = parseCandidate(value['candidate']);
    return candidate ? { type, candidate } : null;
  }
  if (type === 'renegotiate' && value['renegotiate'] === true) return { type, renegotiate: true };
  const request = value['transceiverRequest'];
  if (type === 'transceiverRequest' && isRecord(request) && typeof request['kind'] === 'string') {
    const init = request['init'];
    return {
      type,
      transceiverRequest: {
        kind: request['kind'],
        ...(isRecord(init) ? { init: init as RTCRtpTransceiverInit } : {}),
      },
    };
  }
  return null;
}

/**
 * Validates a signal from the API. Returns null for anything malformed: simple-peer destroys
 * itself when handed data it does not understand, so nothing unvalidated may reach it.
 */
export function parseMeshSignal(value: unknown): MeshWireSignal | null {
  if (!isRecord(value)) return null;
  const session = value['peerSession'];
  if (value['type'] === RECONNECT) {
    if (session !== null && typeof session !== 'string') return null;
    return { kind: 'reconnect', session };
  }
  if (typeof session !== 'string' || session === '') return null;
  if (value['type'] === RESTART_ICE) return { kind: 'restart-ice', session };
  if (value['type'] === BATCH) {
    const signals = value['signals'];
    if (!Array.isArray(signals) || signals.length === 0) return null;
    const data = signals.map((item) => (isRecord(item) ? parsePeerData(item) : null));
    if (data.some((item) => item === null)) return null;
    return { kind: 'peer', session, data: data as PeerSignalData[] };
  }
  const data = parsePeerData(value);
  return data ? { kind: 'peer', session, data: [data] } : null;
}

/** What a participant tells a mesh peer over its data channel: how it hears them now. */
export type PeerMessage = { type: 'hearing'; source: 'mesh' | 'relay' | 'none' };

export function parsePeerMessage(text: string): PeerMessage | null {
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value) || value['type'] !== 'hearing') return null;
    const source = value['source'];
    return source === 'mesh' || source === 'relay' || source === 'none'
      ? { type: 'hearing', source }
      : null;
  } catch {
    return null;
  }
}
