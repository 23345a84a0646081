/**
 * What the relay reads of a publisher's RTP packet to forward it. A werift RtpPacket is one; so
 * is a packet piped from another relay worker, decoded without building one (pipe-datagram.ts):
 * the piped-in path runs once per packet in every worker holding the space.
 */
export type ForwardedRtp = {
  readonly header: {
    readonly marker: boolean;
    readonly sequenceNumber: number;
    readonly timestamp: number;
    readonly ssrc: number;
  };
  readonly payload: Buffer;
};
