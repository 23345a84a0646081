/** Which relay transceiver (by mid) carries which participant now. */
export type SlotAssignment = { slot: number; mid: string; participantId: string };

export type RelayMessage =
  | { type: 'slots'; slots: SlotAssignment[] }
  /** More slot sections: answered with `reofferAnswerMessage` on the same data channel. */
  | { type: 'offer'; revision: number; sdp: string }
  /** A message type this client does not know; newer relays may send more kinds. */
  | { type: 'unknown' };

export type RelayParseResult = { ok: true; message: RelayMessage } | { ok: false; error: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fail = (error: string): RelayParseResult => ({ ok: false, error });

function parseSlots(value: unknown): RelayParseResult {
  if (!Array.isArray(value)) return fail('slots is not an array');
  const slots: SlotAssignment[] = [];
  const mids = new Set<string>();
  const participants = new Set<string>();
  for (const item of value) {
    if (!isRecord(item)) return fail('slot entry is not an object');
    const { slot, mid, participantId } = item;
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0) return fail('bad slot');
    if (typeof mid !== 'string' || mid === '') return fail('bad mid');
    if (typeof participantId !== 'string' || participantId === '') {
      return fail('bad participantId');
    }
    // One participant in two slots would be played twice; one mid for two people is nonsense.
    if (mids.has(mid)) return fail(`mid ${mid} assigned twice`);
    if (participants.has(participantId)) return fail(`${participantId} assigned twice`);
    mids.add(mid);
    participants.add(participantId);
    slots.push({ slot, mid, participantId });
  }
  return { ok: true, message: { type: 'slots', slots } };
}

function parseOffer(revision: unknown, sdp: unknown): RelayParseResult {
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision)) return fail('bad revision');
  if (typeof sdp !== 'string' || !sdp.startsWith('v=0')) return fail('bad offer');
  return { ok: true, message: { type: 'offer', revision, sdp } };
}

/** The answer to the relay's re-offer `revision`, as the relay reads it from the data channel. */
export function reofferAnswerMessage(revision: number, sdp: string): string {
  return JSON.stringify({ type: 'answer', revision, sdp });
}

/**
 * Parses one message of the relay's `amphi` data channel. Never throws: a malformed message is
 * reported and ignored by the transport, the connection goes on.
 */
export function parseRelayMessage(data: unknown): RelayParseResult {
  if (typeof data !== 'string') return fail('not a text message');
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return fail('not JSON');
  }
  if (!isRecord(value) || typeof value['type'] !== 'string') return fail('no type');
  if (value['type'] === 'slots') return parseSlots(value['slots']);
  if (value['type'] === 'offer') return parseOffer(value['revision'], value['sdp']);
  return { ok: true, message: { type: 'unknown' } };
}

/** The session-level SDP attribute in which the relay's offer carries its slots when made. */
const OFFER_SLOTS = /^a=amphi-slots:(.*?)\r?$/m;

/**
 * The `slots` message the relay put in its offer (the slots as they were when it offered), so a
 * listener plays each slot from its first packet instead of after the data channel opens; null
 * when the offer has none (an older relay). Malformed content is an error result, never a throw.
 */
export function parseOfferSlots(offer: string): RelayParseResult | null {
  const value = OFFER_SLOTS.exec(offer)?.[1];
  return value === undefined ? null : parseRelayMessage(value);
}
