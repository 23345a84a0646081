import type { NativeBatch } from './native-srtp.ts';

/**
 * One packet as every listener of a slot gets it, built once per incoming packet: only the SSRC,
 * payload type, extension id and SRTP protection differ per listener.
 */
export type OutgoingRtp = {
  marker: boolean;
  sequenceNumber: number;
  /**
   * The slot's roll-over counter for this packet (its index is 2^16 × this + sequenceNumber;
   * see slot-stream.ts). Each listener's SRTP counts its own from its first packet.
   */
  rolloverCounter: number;
  timestamp: number;
  payload: Buffer;
  /** The speaker's RFC 6464 audio-level bytes, forwarded as they came. */
  levelPayload: Buffer | undefined;
  /**
   * When the packet arrived (ms since the Unix epoch), for the senders' RTCP sender reports,
   * which turn it into an NTP timestamp only when one goes out.
   */
  arrivedAt: number;
  /** Listeners' native senders that take this packet in one call once every member has seen it. */
  nativeBatch: NativeBatch;
};
