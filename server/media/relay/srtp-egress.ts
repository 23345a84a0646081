import type { Socket } from 'node:dgram';
import type { RTCRtpSender } from 'werift';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { isSrtpContext, protectRtp, type SrtpContext } from './srtp-protect.ts';

/*
 * The parts of werift 0.24 this module reaches into. Each is checked at run time: if werift
 * changes shape, `sendSync` reports false and the caller falls back to werift's own `sendRtp`.
 */
type CandidatePair = {
  protocol: { type: string; transport?: { socket?: Socket; closed?: boolean } };
  remoteAddr: readonly [string, number];
};
type SenderInternals = {
  ssrc: number;
  codec?: { payloadType: number };
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  octetCount: number;
  packetCount: number;
  runRtcp(): Promise<void>;
  dtlsTransport?: {
    state: string;
    srtp?: { localContext?: SrtpContext };
    iceTransport?: {
      connection?: { nominated?: CandidatePair; canSendApplicationData?(): boolean };
    };
  };
};

/**
 * Sends RTP on a werift sender synchronously: protects the copy with the sender's SRTP session
 * and writes it to the selected ICE pair's UDP socket, instead of `sender.sendRtp`'s chain of
 * promises, header objects and address lookups per copy. Keeps the sender's counters current so
 * that werift's RTCP sender reports stay right.
 */
export function createSrtpEgress(sender: RTCRtpSender) {
  const internals = sender as unknown as SenderInternals;
  let reporting = false;

  return {
    /**
     * Sends one copy; false if this path cannot (werift's shape changed, a TURN pair, no SRTP
     * yet), in which case nothing was sent and the caller should use `sender.sendRtp`.
     */
    sendSync(packet: OutgoingRtp, levelId: number | undefined): boolean {
      const transport = internals.dtlsTransport;
      const context = transport?.srtp?.localContext;
      const connection = transport?.iceTransport?.connection;
      const pair = connection?.nominated;
      const socket = pair?.protocol.type === 'stun' ? pair.protocol.transport?.socket : undefined;
      const payloadType = internals.codec?.payloadType;
      if (
        !pair ||
        !socket ||
        !isSrtpContext(context) ||
        payloadType === undefined ||
        typeof connection?.canSendApplicationData !== 'function' ||
        typeof internals.runRtcp !== 'function'
      ) {
        return false;
      }
      // RFC 7675: no media on a pair whose consent expired (werift drops it the same way).
      if (!connection.canSendApplicationData() || pair.protocol.transport?.closed) return true;
      const [address, port] = pair.remoteAddr;
      socket.send(protectRtp(context, packet, payloadType, internals.ssrc, levelId), port, address);

      internals.ntpTimestamp = packet.ntp;
      internals.rtpTimestamp = packet.timestamp;
      internals.octetCount += packet.payload.length;
      internals.packetCount = (internals.packetCount + 1) >>> 0;
      if (!reporting) {
        reporting = true;
        internals.runRtcp().catch(() => {
          // Sender reports stop with the connection.
        });
      }
      return true;
    },
  };
}

export type SrtpEgress = ReturnType<typeof createSrtpEgress>;
