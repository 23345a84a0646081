import type { Socket } from 'node:dgram';
import {
  type RTCDtlsTransport,
  type RTCIceTransport,
  type RTCRtpSender,
  type RtcpPacket,
  RtcpSenderInfo,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  SourceDescriptionChunk,
  SourceDescriptionItem,
} from 'werift';
import { type NativeSrtpSender, nativeSrtp, udpDescriptor, udpHandle } from './native-srtp.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import {
  AES_CM_128_HMAC_SHA1_80,
  isSrtpContext,
  protectRtp,
  type SrtpContext,
} from './srtp-protect.ts';

/*
 * What this module uses of werift 0.24: public fields and methods only (its .d.ts declares them
 * public), checked at run time; Node's socket descriptor (native-srtp.ts) is the one private
 * read, and srtp-egress.test.ts fails if either changes under us. Where a route cannot be
 * resolved, nothing is sent: werift's own `sendRtp` would use its roll-over shortcut.
 */
type Pair = RTCIceTransport['connection']['nominated'];
type Connection = Pick<RTCIceTransport['connection'], 'nominated' | 'state' | 'send'>;

/** Where a sender's copies go, resolved once per SRTP session and selected pair. */
type Route = {
  srtp: object;
  pair: NonNullable<Pair>;
  context: SrtpContext;
  connection: Connection;
  /** The pair's own UDP socket, or undefined for a TURN pair (sent through `connection.send`). */
  udp: { socket: Socket; readonly closed: boolean } | undefined;
  address: string;
  port: number;
  /** The same session in the native sender, while this route sends natively. */
  native: NativeRoute | undefined;
};

/** A native sender and what it was made for: the socket's handle, the payload type, the level id. */
type NativeRoute = {
  sender: NativeSrtpSender;
  handle: object;
  payloadType: number;
  levelId: number;
};

/** One SRTP context (one DTLS session) of this sender, and its roll-over counter's origin. */
type Stream = { srtp: object; rolloverBase: number };

function openNative(
  route: Route,
  stream: Stream,
  ssrc: number,
  payloadType: number,
  levelId: number,
): NativeRoute | undefined {
  if (!nativeSrtp || !route.udp) return undefined;
  const handle = udpHandle(route.udp.socket);
  const fd = udpDescriptor(handle);
  if (!handle || fd === undefined) return undefined;
  const { context } = route;
  const sender = nativeSrtp.createSender(
    fd,
    route.address,
    route.port,
    context.profile,
    context.srtpSessionKey,
    context.srtpSessionSalt,
    context.profile === AES_CM_128_HMAC_SHA1_80 ? context.srtpSessionAuthTag : null,
    ssrc,
    payloadType,
    levelId,
    stream.rolloverBase,
  );
  return { sender, handle, payloadType, levelId };
}

function closeNative(route: Route): void {
  if (route.native) nativeSrtp?.close(route.native.sender);
  route.native = undefined;
}

/** The route's native sender for these stream parameters, opened or reopened as needed. */
function nativeFor(
  route: Route,
  stream: Stream,
  ssrc: number,
  payloadType: number,
  levelId: number,
): NativeRoute | undefined {
  if (!nativeSrtp || !route.udp) return undefined;
  const current = route.native;
  // A replaced socket (the native sender holds a duplicate of the old one) reopens.
  if (
    current !== undefined &&
    current.handle === udpHandle(route.udp.socket) &&
    current.payloadType === payloadType &&
    current.levelId === levelId
  ) {
    return current;
  }
  closeNative(route);
  route.native = openNative(route, stream, ssrc, payloadType, levelId);
  return route.native;
}

function isUdpTransport(value: unknown): value is { socket: Socket; readonly closed: boolean } {
  const transport = value as { socket?: unknown; closed?: unknown } | undefined;
  return (
    typeof transport?.socket === 'object' &&
    transport.socket !== null &&
    typeof transport.closed === 'boolean'
  );
}

function resolveRoute(transport: RTCDtlsTransport | undefined): Route | undefined {
  const srtp: unknown = transport?.srtp;
  const context: unknown = transport?.srtp?.localContext;
  const connection: Partial<Connection> | undefined = transport?.iceTransport?.connection;
  const pair = connection?.nominated;
  if (
    typeof srtp !== 'object' ||
    srtp === null ||
    !pair ||
    !isSrtpContext(context) ||
    typeof connection?.send !== 'function' ||
    typeof connection.state !== 'string' ||
    typeof transport?.sendRtcp !== 'function'
  ) {
    return undefined;
  }
  // StunProtocol's public `transport`: a pair on one of our own UDP sockets.
  const udp: unknown =
    pair.protocol.type === 'stun'
      ? (pair.protocol as { transport?: unknown }).transport
      : undefined;
  const [address, port] = pair.remoteAddr;
  return {
    srtp,
    pair,
    context,
    connection: connection as Connection,
    udp: isUdpTransport(udp) ? udp : undefined,
    address,
    port,
    native: undefined,
  };
}

/**
 * Sender reports let a listener map RTP time to wall time (sync, statistics); werift sends one
 * every 0.5-1.5 s per sender, which for thousands of listeners costs more than they are worth.
 */
const FIRST_REPORT_MS = 1_000;
const REPORT_INTERVAL_MS = 5_000;

/**
 * Sends RTP on a werift sender synchronously: protects the copy with the sender's SRTP session
 * (natively, in one batch per packet, when the native sender is built) and writes it to the
 * selected ICE pair's UDP socket, instead of `sender.sendRtp`'s chain of promises, header objects
 * and address lookups per copy. Keeps its own counters and sends the RTCP sender reports (with
 * `cname`), every 5 s while it sends.
 */
export function createSrtpEgress(sender: RTCRtpSender, cname: string) {
  let route: Route | undefined;
  let stream: Stream | undefined;
  let reportTimer: NodeJS.Timeout | undefined;
  let packetsAtLastReport = -1;
  let stopped = false;
  const counters = { ntpTimestamp: 0n, rtpTimestamp: 0, octets: 0, packets: 0 };

  /** An RTCP sender report (and CNAME) for what was sent so far. */
  function report(): void {
    const transport = sender.dtlsTransport;
    if (stopped || transport?.state !== 'connected') return;
    const packets: RtcpPacket[] = [
      new RtcpSrPacket({
        ssrc: sender.ssrc,
        senderInfo: new RtcpSenderInfo({
          ntpTimestamp: counters.ntpTimestamp,
          rtpTimestamp: counters.rtpTimestamp,
          packetCount: counters.packets,
          octetCount: counters.octets,
        }),
      }),
      new RtcpSourceDescriptionPacket({
        chunks: [
          new SourceDescriptionChunk({
            source: sender.ssrc,
            items: [new SourceDescriptionItem({ type: 1, text: cname })],
          }),
        ],
      }),
    ];
    transport.sendRtcp(packets).catch(() => {
      // The transport closed meanwhile; the session is going away.
    });
  }

  function scheduleReport(delayMs: number): void {
    reportTimer = setTimeout(() => {
      // A slot that fell silent stops reporting (RFC 3550 6.4: only active senders send SRs);
      // the next packet starts the reports again. Thousands of listeners of a quiet stage
      // would otherwise each cost an SRTCP packet every few seconds.
      if (counters.packets === packetsAtLastReport) {
        reportTimer = undefined;
        return;
      }
      packetsAtLastReport = counters.packets;
      report();
      if (!stopped) scheduleReport(REPORT_INTERVAL_MS * (0.8 + 0.4 * Math.random()));
    }, delayMs);
    reportTimer.unref();
  }

  /** Counts what was sent, for the sender reports. */
  function count(packets: number, octets: number, last: OutgoingRtp): void {
    counters.ntpTimestamp = last.ntp;
    counters.rtpTimestamp = last.timestamp;
    counters.octets = (counters.octets + octets) >>> 0;
    counters.packets = (counters.packets + packets) >>> 0;
    if (reportTimer === undefined && !stopped) scheduleReport(FIRST_REPORT_MS);
  }

  return {
    /**
     * Sends one copy, or adds this listener's native sender to the packet's batch (which the
     * space sends once every member has seen the packet). False if nothing was sent: no SRTP
     * session or selected pair yet, consent expired, a packet from before this listener's
     * first, or werift changed shape.
     */
    sendSync(packet: OutgoingRtp, levelId: number | undefined): boolean {
      const batch = packet.nativeBatch;
      const transport = sender.dtlsTransport;
      // A new DTLS session (new keys) or a newly selected pair (ICE restart) re-resolves.
      if (
        route === undefined ||
        route.srtp !== transport?.srtp ||
        route.pair !== transport.iceTransport?.connection?.nominated
      ) {
        if (route) closeNative(route);
        route = resolveRoute(transport);
      }
      const payloadType = sender.codec?.payloadType;
      if (!route || payloadType === undefined) return false;
      // RFC 7675: no media on a pair whose consent expired (werift then fails the connection).
      const { state } = route.connection;
      if (route.udp?.closed || state === 'failed' || state === 'closed') return false;
      // RFC 3711 §3.3.1: a new SRTP context starts at roll-over counter 0, from its first packet.
      if (stream?.srtp !== route.srtp) {
        stream = { srtp: route.srtp, rolloverBase: packet.rolloverCounter };
      }
      const rolloverCounter = packet.rolloverCounter - stream.rolloverBase;
      // A late packet from before this context's first roll-over has no index to go out with.
      if (rolloverCounter < 0) return false;
      const native = nativeFor(route, stream, sender.ssrc, payloadType, levelId ?? 0);
      if (native) {
        batch.senders[batch.count++] = native.sender;
      } else {
        const parts = protectRtp(
          route.context,
          packet,
          payloadType,
          sender.ssrc,
          levelId,
          rolloverCounter,
        );
        if (route.udp) route.udp.socket.send(parts, route.port, route.address);
        else {
          route.connection.send(Buffer.concat(parts)).catch(() => {
            // The TURN allocation closed under the packet; the session is going away.
          });
        }
      }
      count(1, packet.payload.length, packet);
      return true;
    },

    /** Counts copies sent natively without `sendSync` (see slot-lane.ts), for sender reports. */
    credit(packets: number, octets: number, last: OutgoingRtp): void {
      count(packets, octets, last);
    },

    /** Stops the sender reports and closes the native sender; the peer connection is closing. */
    stop(): void {
      stopped = true;
      clearTimeout(reportTimer);
      if (route) closeNative(route);
    },
  };
}

export type SrtpEgress = ReturnType<typeof createSrtpEgress>;
