/** A slot as one client sees it: `mid` is that client's transceiver carrying the slot. */
export type SlotAnnouncement = { slot: number; mid: string; participantId: string };

/**
 * JSON messages the relay sends on the `amphi` data channel: the slots, and re-offers that add
 * slot sections (answered with a `ClientMessage` of type `answer` and the same revision).
 */
export type RelayMessage =
  | { type: 'slots'; slots: SlotAnnouncement[] }
  | { type: 'offer'; revision: number; sdp: string };

/** JSON messages a client sends on the `amphi` data channel. */
export type ClientMessage = { type: 'answer'; revision: number; sdp: string };

/** Label of the data channel the relay offers. */
export const RELAY_CHANNEL_LABEL = 'amphi';

/** Serializes a message for the data channel. */
export function encodeRelayMessage(message: RelayMessage): string {
  return JSON.stringify(message);
}

/** Parses a client's message; undefined for anything else (never throws: clients are untrusted). */
export function parseClientMessage(data: string): ClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, revision, sdp } = value as Record<string, unknown>;
  if (type !== 'answer' || !Number.isSafeInteger(revision) || typeof sdp !== 'string') {
    return undefined;
  }
  return { type, revision: revision as number, sdp };
}
