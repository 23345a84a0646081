/** A slot as one client sees it: `mid` is that client's transceiver carrying the slot. */
export type SlotAnnouncement = { slot: number; mid: string; participantId: string };

/** JSON messages the relay sends on the `amphi` data channel. */
export type RelayMessage = { type: 'slots'; slots: SlotAnnouncement[] };

/** Label of the data channel the relay offers. */
export const RELAY_CHANNEL_LABEL = 'amphi';

/** Serializes a message for the data channel. */
export function encodeRelayMessage(message: RelayMessage): string {
  return JSON.stringify(message);
}
