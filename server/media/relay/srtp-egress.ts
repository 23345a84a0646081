import type { Socket } from 'node:dgram';
import {
  compactNtp,
  type RTCRtpSender,
  type RtcpPacket,
  RtcpSenderInfo,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  SourceDescriptionChunk,
  SourceDescriptionItem,
  timestampSeconds,
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
 * The parts of werift 0.24 this module reaches into. Each is checked at run time: if werift
 * changes shape, `sendSync` reports false and the caller falls back to werift's own `sendRtp`.
 */
type CandidatePair = {
  protocol: { type: string; transport?: { socket?: Socket; closed?: boolean } };
  remoteAddr: readonly [string, number];
};
type SenderInternals = {
  ssrc: number;
  cname?: string;
  lastSRtimestamp?: number;
  lastSentSRTimestamp?: number;
  codec?: { payloadType: number };
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  octetCount: number;
  packetCount: number;
  dtlsTransport?: {
    state: string;
    sendRtcp?(packets: RtcpPacket[]): Promise<void>;
    srtp?: { localContext?: SrtpContext };
    iceTransport?: {
      connection?: { nominated?: CandidatePair; canSendApplicationData?(): boolean };
    };
  };
};

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

/** A native sender for the route's session; it takes over werift's roll-over state for `ssrc`. */
function openNative(
  route: Route,
  ssrc: number,
  payloadType: number,
  levelId: number,
): NativeRoute | undefined {
  const handle = udpHandle(route.socket);
  const fd = udpDescriptor(handle);
  if (!nativeSrtp || !handle || fd === undefined) return undefined;
  const { context } = route;
  const state = context.getSrtpSsrcState(ssrc);
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
    state.rolloverCounter,
    state.lastSequenceNumber,
    state.rolloverHasProcessed === true,
  );
  return { sender, handle, payloadType, levelId };
}

/** Closes the native sender, handing its roll-over state back to werift's context. */
function closeNative(route: Route, ssrc: number): void {
  if (!route.native || !nativeSrtp) return;
  nativeSrtp.close(route.native.sender);
  const [rolloverCounter, lastSequenceNumber, started] = nativeSrtp.rollover(route.native.sender);
  Object.assign(route.context.getSrtpSsrcState(ssrc), {
    rolloverCounter,
    lastSequenceNumber,
    rolloverHasProcessed: started,
  });
  route.native = undefined;
}

/** The route's native sender for these stream parameters, opened or reopened as needed. */
function nativeFor(
  route: Route,
  ssrc: number,
  payloadType: number,
  levelId: number,
): NativeRoute | undefined {
  if (!nativeSrtp) return undefined;
  const current = route.native;
  // A replaced socket (the native sender holds a duplicate of the old one) reopens.
  if (
    current !== undefined &&
    current.handle === udpHandle(route.socket) &&
    current.payloadType === payloadType &&
    current.levelId === levelId
  ) {
    return current;
  }
  closeNative(route, ssrc);
  route.native = openNative(route, ssrc, payloadType, levelId);
  return route.native;
}

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
    typeof transport?.sendRtcp !== 'function'
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
 * and address lookups per copy. Keeps the sender's counters current and sends its RTCP sender
 * reports itself, every 5 s while it sends.
 */
export function createSrtpEgress(sender: RTCRtpSender) {
  const internals = sender as unknown as SenderInternals;
  let route: Route | undefined;
  let reportTimer: NodeJS.Timeout | undefined;
  let packetsAtLastReport = -1;
  let stopped = false;

  /** An RTCP sender report (and CNAME) for what was sent so far, as werift's would be. */
  function report(): void {
    const transport = internals.dtlsTransport;
    if (stopped || transport?.state !== 'connected') return;
    const packets: RtcpPacket[] = [
      new RtcpSrPacket({
        ssrc: internals.ssrc,
        senderInfo: new RtcpSenderInfo({
          ntpTimestamp: internals.ntpTimestamp,
          rtpTimestamp: internals.rtpTimestamp,
          packetCount: internals.packetCount,
          octetCount: internals.octetCount,
        }),
      }),
    ];
    if (internals.cname) {
      const cname = new SourceDescriptionItem({ type: 1, text: internals.cname });
      packets.push(
        new RtcpSourceDescriptionPacket({
          chunks: [new SourceDescriptionChunk({ source: internals.ssrc, items: [cname] })],
        }),
      );
    }
    // Kept for werift's round-trip estimate from the listener's receiver reports.
    internals.lastSRtimestamp = compactNtp(internals.ntpTimestamp);
    internals.lastSentSRTimestamp = timestampSeconds();
    transport.sendRtcp?.(packets).catch(() => {
      // The transport closed meanwhile; the session is going away.
    });
  }

  function scheduleReport(delayMs: number): void {
    reportTimer = setTimeout(() => {
      // A slot that fell silent stops reporting (RFC 3550 6.4: only active senders send SRs);
      // the next packet starts the reports again. Thousands of listeners of a quiet stage
      // would otherwise each cost an SRTCP packet every few seconds.
      if (internals.packetCount === packetsAtLastReport) {
        reportTimer = undefined;
        return;
      }
      packetsAtLastReport = internals.packetCount;
      report();
      if (!stopped) scheduleReport(REPORT_INTERVAL_MS * (0.8 + 0.4 * Math.random()));
    }, delayMs);
    reportTimer.unref();
  }

  /** Keeps the sender's counters as werift would, for the sender reports. */
  function count(packets: number, octets: number, last: OutgoingRtp): void {
    internals.ntpTimestamp = last.ntp;
    internals.rtpTimestamp = last.timestamp;
    internals.octetCount = (internals.octetCount + octets) >>> 0;
    internals.packetCount = (internals.packetCount + packets) >>> 0;
    if (reportTimer === undefined && !stopped) scheduleReport(FIRST_REPORT_MS);
  }

  return {
    /**
     * Sends one copy, or adds this listener's native sender to the packet's batch (which the
     * space sends once every member has seen the packet). False if this path cannot (werift's
     * shape changed, a TURN pair, no SRTP yet): nothing was sent and the caller should use
     * `sender.sendRtp`.
     */
    sendSync(packet: OutgoingRtp, levelId: number | undefined): boolean {
      const batch = packet.nativeBatch;
      const transport = internals.dtlsTransport;
      // A new DTLS session (new keys) or a newly selected pair (ICE restart) re-resolves.
      if (
        route === undefined ||
        route.srtp !== transport?.srtp ||
        route.pair !== transport.iceTransport?.connection?.nominated
      ) {
        if (route) closeNative(route, internals.ssrc);
        route = resolveRoute(internals);
      }
      const payloadType = internals.codec?.payloadType;
      if (!route || payloadType === undefined) return false;
      // RFC 7675: no media on a pair whose consent expired (werift drops it the same way).
      if (route.transport.closed || !route.connection.canSendApplicationData()) return true;
      const native = nativeFor(route, internals.ssrc, payloadType, levelId ?? 0);
      if (native) {
        batch.senders[batch.count++] = native.sender;
      } else {
        route.socket.send(
          protectRtp(route.context, packet, payloadType, internals.ssrc, levelId),
          route.port,
          route.address,
        );
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
      if (route) closeNative(route, internals.ssrc);
    },
  };
}

export type SrtpEgress = ReturnType<typeof createSrtpEgress>;
