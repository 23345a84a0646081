/**
 * The session-level SDP attribute in which the relay's offer carries the slots as they are when
 * the offer is made: the same JSON as the `slots` message of the data channel. A client can then
 * play each slot from its first packet instead of after the data channel opens (SCTP's own
 * handshake after DTLS), which cost a joining listener its first 100-150 ms of audio. Browsers
 * ignore attributes they do not know; later changes still come over the data channel.
 */
export const SLOTS_ATTRIBUTE = 'amphi-slots';

/** `sdp` with `slotsMessage` as a session-level attribute (before the first media section). */
export function withSlots(sdp: string, slotsMessage: string): string {
  const firstMedia = sdp.search(/^m=/m);
  if (firstMedia === -1 || /[\r\n]/.test(slotsMessage)) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return `${sdp.slice(0, firstMedia)}a=${SLOTS_ATTRIBUTE}:${slotsMessage}${eol}${sdp.slice(firstMedia)}`;
}
