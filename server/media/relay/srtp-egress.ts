import type { Socket } from 'node:dgram';
import {
  RtcpSenderInfo,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  SourceDescriptionChunk,
  SourceDescriptionItem,
} from 'werift';
import { type NativeSrtpSender, nativeSrtp, udpDescriptor, udpHandle } from './native-srtp.ts';
import { ntpTimestamp } from './ntp-timestamp.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import type { SrtpKeys } from './srtp-keys.ts';
import { AES_CM_128_HMAC_SHA1_80, protectRtp } from './srtp-protect.ts';

/**
 * Where a session's copies go: its DTLS session's keys and the client's selected address on the
 * relay's shared socket. A new object whenever either changes.
 */
export type SrtpRoute = { keys: SrtpKeys; socket: Socket; address: string; port: number };

/** How the client receives one slot: the answer's payload type and audio-level extension id. */
export type SlotFormat = { payloadType: number; levelId: number | undefined };

/**
 * Sender reports let a listener map RTP time to wall time (sync, statistics); once every 5 s per
 * active slot is plenty, where a peer connection sends one every 0.5-1.5 s. They go out with the
 * copies, never on a timer of their own: a timer per listener woke the relay's process up to
 * hundreds of times a second more than its packets do, and only active senders report (RFC 3550
 * 6.4), so a quiet stage costs nothing.
 */
const FIRST_REPORT_MS = 1_000;
const REPORT_INTERVAL_MS = 5_000;

/** A native sender and what it was made for. */
type NativeRoute = { sender: NativeSrtpSender; route: SrtpRoute; format: SlotFormat };

/** One DTLS session's stream of this slot, and its roll-over counter's origin. */
type Stream = { keys: SrtpKeys; rolloverBase: number };

/**
 * Sends one slot of one listener: protects each copy (natively, in one batch per packet, when the
 * native sender is built; else in JavaScript) and writes it to the client's address on the shared
 * socket. Keeps its own counters and sends the RTCP sender reports (with `cname`) about every 5 s
 * while it sends.
 */
export function createSrtpEgress(ssrc: number, cname: string) {
  let native: NativeRoute | undefined;
  let stream: Stream | undefined;
  let lastRoute: SrtpRoute | undefined;
  /** When the next report is due (performance.now() ms), from the first packet counted. */
  let nextReportAt: number | undefined;
  let stopped = false;
  const counters = { arrivedAt: 0, rtpTimestamp: 0, octets: 0, packets: 0 };

  function closeNative(): void {
    if (native) nativeSrtp?.close(native.sender);
    native = undefined;
  }

  function nativeFor(route: SrtpRoute, format: SlotFormat): NativeRoute | undefined {
    if (native?.route === route && native.format === format) return native;
    closeNative();
    const fd = udpDescriptor(udpHandle(route.socket));
    if (!nativeSrtp || fd === undefined || !stream) return undefined;
    const { local } = route.keys;
    const sender = nativeSrtp.createSender(
      fd,
      route.address,
      route.port,
      local.profile,
      local.srtpSessionKey,
      local.srtpSessionSalt,
      local.profile === AES_CM_128_HMAC_SHA1_80 ? local.srtpSessionAuthTag : null,
      ssrc,
      format.payloadType,
      format.levelId ?? 0,
      stream.rolloverBase,
    );
    native = { sender, route, format };
    return native;
  }

  /** An RTCP sender report (and CNAME) for what was sent so far. */
  function report(): void {
    const route = lastRoute;
    if (stopped || !route) return;
    const packets = [
      new RtcpSrPacket({
        ssrc,
        senderInfo: new RtcpSenderInfo({
          ntpTimestamp: ntpTimestamp(counters.arrivedAt),
          rtpTimestamp: counters.rtpTimestamp,
          packetCount: counters.packets,
          octetCount: counters.octets,
        }),
      }),
      new RtcpSourceDescriptionPacket({
        chunks: [
          new SourceDescriptionChunk({
            source: ssrc,
            items: [new SourceDescriptionItem({ type: 1, text: cname })],
          }),
        ],
      }),
    ];
    const plain = Buffer.concat(packets.map((packet) => packet.serialize()));
    route.socket.send(route.keys.srtcp.encrypt(plain), route.port, route.address);
  }

  /** Counts what was sent, for the sender reports. */
  function count(packets: number, octets: number, timestamp: number, arrivedAt: number): void {
    counters.arrivedAt = arrivedAt;
    counters.rtpTimestamp = timestamp;
    counters.octets = (counters.octets + octets) >>> 0;
    counters.packets = (counters.packets + packets) >>> 0;
    if (stopped) return;
    const now = performance.now();
    nextReportAt ??= now + FIRST_REPORT_MS;
    if (now < nextReportAt) return;
    nextReportAt = now + REPORT_INTERVAL_MS * (0.8 + 0.4 * Math.random());
    // Once this packet's copies are out: they are what every listener is waiting for.
    queueMicrotask(report);
  }

  return {
    /**
     * Sends one copy, or adds this listener's native sender to the packet's batch (which the
     * space sends once every member has seen the packet). False if nothing was sent: stopped, or
     * a packet from before this DTLS session's first roll-over.
     */
    sendSync(packet: OutgoingRtp, route: SrtpRoute, format: SlotFormat): boolean {
      if (stopped) return false;
      lastRoute = route;
      // RFC 3711 §3.3.1: a new SRTP context starts at roll-over counter 0, from its first packet.
      if (stream?.keys !== route.keys) {
        closeNative();
        stream = { keys: route.keys, rolloverBase: packet.rolloverCounter };
      }
      const rolloverCounter = packet.rolloverCounter - stream.rolloverBase;
      // A late packet from before this context's first roll-over has no index to go out with.
      if (rolloverCounter < 0) return false;
      const sender = nativeFor(route, format);
      if (sender) {
        const batch = packet.nativeBatch;
        batch.senders[batch.count++] = sender.sender;
      } else {
        const parts = protectRtp(
          route.keys.local,
          packet,
          format.payloadType,
          ssrc,
          format.levelId,
          rolloverCounter,
        );
        route.socket.send(parts, route.port, route.address);
      }
      count(1, packet.payload.length, packet.timestamp, packet.arrivedAt);
      return true;
    },

    /** Counts copies sent natively without `sendSync` (see slot-lane.ts), for sender reports. */
    credit(packets: number, octets: number, timestamp: number, arrivedAt: number): void {
      count(packets, octets, timestamp, arrivedAt);
    },

    /** Stops the sender reports and closes the native sender; the session is closing. */
    stop(): void {
      stopped = true;
      closeNative();
    },
  };
}

export type SrtpEgress = ReturnType<typeof createSrtpEgress>;
