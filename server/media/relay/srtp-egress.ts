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
type Connection = NonNullable<
  NonNullable<NonNullable<SenderInternals['dtlsTransport']>['iceTransport']>['connection']
>;
/** Where a sender's copies go, resolved once per SRTP session and selected pair. */
type Route = {
  srtp: object;
  pair: CandidatePair;
  context: SrtpContext;
  connection: Connection & { canSendApplicationData(): boolean };
  transport: { closed?: boolean };
  socket: Socket;
  address: string;
  port: number;
};

function resolveRoute(internals: SenderInternals): Route | undefined {
  const transport = internals.dtlsTransport;
  const srtp = transport?.srtp;
  const context = srtp?.localContext;
  const connection = transport?.iceTransport?.connection;
  const pair = connection?.nominated;
  const udp = pair?.protocol.type === 'stun' ? pair.protocol.transport : undefined;
  if (
    !srtp ||
    !pair ||
    !udp?.socket ||
    !isSrtpContext(context) ||
    typeof connection?.canSendApplicationData !== 'function' ||
    typeof internals.runRtcp !== 'function'
  ) {
    return undefined;
  }
  const [address, port] = pair.remoteAddr;
  return {
    srtp,
    pair,
    context,
    connection: connection as Route['connection'],
    transport: udp,
    socket: udp.socket,
    address,
    port,
  };
}

/**
 * Sends RTP on a werift sender synchronously: protects the copy with the sender's SRTP session
 * and writes it to the selected ICE pair's UDP socket, instead of `sender.sendRtp`'s chain of
 * promises, header objects and address lookups per copy. Keeps the sender's counters current so
 * that werift's RTCP sender reports stay right.
 */
export function createSrtpEgress(sender: RTCRtpSender) {
  const internals = sender as unknown as SenderInternals;
  let route: Route | undefined;
  let reporting = false;

  return {
    /**
     * Sends one copy; false if this path cannot (werift's shape changed, a TURN pair, no SRTP
     * yet), in which case nothing was sent and the caller should use `sender.sendRtp`.
     */
    sendSync(packet: OutgoingRtp, levelId: number | undefined): boolean {
      const transport = internals.dtlsTransport;
      // A new DTLS session (new keys) or a newly selected pair (ICE restart) re-resolves.
      if (
        route === undefined ||
        route.srtp !== transport?.srtp ||
        route.pair !== transport.iceTransport?.connection?.nominated
      ) {
        route = resolveRoute(internals);
      }
      const payloadType = internals.codec?.payloadType;
      if (!route || payloadType === undefined) return false;
      // RFC 7675: no media on a pair whose consent expired (werift drops it the same way).
      if (route.transport.closed || !route.connection.canSendApplicationData()) return true;
      route.socket.send(
        protectRtp(route.context, packet, payloadType, internals.ssrc, levelId),
        route.port,
        route.address,
      );

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
