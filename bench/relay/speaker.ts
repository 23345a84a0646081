/**
 * The speaker: a werift peer of the relay that sends the captured Opus packets at 50 a second,
 * or, for the fan-out baselines, the same RTP bytes as plain UDP datagrams. It logs the send time
 * of every sequence number for the listeners beside it to compare with.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import {
  RTCPeerConnection,
  type RTCRtpTransceiver,
  RTP_EXTENSION_URI,
  RtpHeader,
  RtpPacket,
  useAudioLevelIndication,
  useOPUS,
} from 'werift';
import { toLoopback } from './loopback.ts';
import type { OpusPacket } from './opus-capture.ts';
import { now, type SpeakerTarget } from './protocol.ts';
import { createSendLog } from './receipts.ts';
import { protect } from './srtp-like.ts';

const PACKET_MS = 20;
const OPUS_TICKS = 960;
const OPUS_PAYLOAD_TYPE = 111;
/** The audio-level extension id the fan-out packets carry (as in the relay's copies). */
const UDP_LEVEL_ID = 1;

/** `stunUrl`: a local STUN server, which werift queries instead of its public default. */
export function createSpeaker(packets: readonly OpusPacket[], stunUrl: string) {
  const log = createSendLog();
  const ssrc = randomInt(1, 2 ** 31);
  let sequenceNumber = randomInt(0, 0x10000);
  let timestamp = randomInt(0, 2 ** 31);
  let target: SpeakerTarget = { kind: 'silent' };
  let pc: RTCPeerConnection | undefined;
  let microphone: RTCRtpTransceiver | undefined;
  let levelId: number | undefined;
  let udp: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let startedAt = 0;
  let due = 0;

  function header(extensionId: number | undefined, level: number): RtpHeader {
    return new RtpHeader({
      payloadType: OPUS_PAYLOAD_TYPE,
      sequenceNumber,
      timestamp,
      ssrc,
      marker: false,
      extension: extensionId !== undefined,
      extensionProfile: 0xbede,
      extensions: extensionId === undefined ? [] : [{ id: extensionId, payload: Buffer.of(level) }],
    });
  }

  function sendOne(dueAt: number): void {
    const opus = packets[log.sent % packets.length]!;
    if (target.kind === 'relay' && microphone) {
      const packet = new RtpPacket(header(levelId, opus.level), opus.payload);
      log.record(sequenceNumber, now(), dueAt, timestamp);
      microphone.sender.sendRtp(packet).catch(() => {});
    } else if (target.kind === 'udp' && udp) {
      const rtp = new RtpPacket(header(UDP_LEVEL_ID, opus.level), opus.payload).serialize();
      const datagram = protect(target.protection, rtp, target.keys);
      log.record(sequenceNumber, now(), dueAt, timestamp);
      udp.send(datagram);
    } else {
      return;
    }
    sequenceNumber = (sequenceNumber + 1) & 0xffff;
    timestamp = (timestamp + OPUS_TICKS) >>> 0;
  }

  /** Sends by elapsed time, not per tick, so timer jitter does not slow the stream. */
  function tick(): void {
    const elapsed = now() - startedAt;
    for (; due * PACKET_MS <= elapsed; due++) sendOne(startedAt + due * PACKET_MS);
  }

  return {
    log,
    /** The relay connection's state, or 'none' before the speaker answered. */
    get state(): string {
      return pc?.connectionState ?? 'none';
    },
    get nextSequence() {
      return sequenceNumber;
    },

    /** Answers the relay's offer with a sending microphone transceiver. */
    async answer(offer: string): Promise<string> {
      await pc?.close();
      pc = new RTCPeerConnection({
        iceServers: [{ urls: stunUrl }],
        iceUseIpv6: false,
        bundlePolicy: 'max-bundle',
        codecs: { audio: [useOPUS()] },
        headerExtensions: { audio: [useAudioLevelIndication()] },
      });
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      microphone = pc.getTransceivers()[0];
      if (!microphone) throw new Error('the relay offered no microphone transceiver');
      microphone.setDirection('sendonly');
      await pc.setLocalDescription(await pc.createAnswer());
      return toLoopback(pc.localDescription?.sdp ?? '');
    },

    /** Resolves once the relay connection carries media; tells the SRTP profile in use. */
    async connected(): Promise<string> {
      const connection = pc;
      if (!connection || !microphone) throw new Error('the speaker has not answered');
      if (connection.connectionState !== 'connected') {
        await new Promise<void>((resolve) => {
          connection.connectionStateChange.subscribe((state) => {
            if (state === 'connected') resolve();
          });
        });
      }
      levelId = microphone.headerExtensions.find(
        (extension) => extension.uri === RTP_EXTENSION_URI.audioLevelIndication,
      )?.id;
      let cipher = 'unknown';
      (await connection.getStats()).forEach((report: { type: string; srtpCipher?: string }) => {
        if (report.type === 'transport' && report.srtpCipher) cipher = report.srtpCipher;
      });
      return cipher;
    },

    /** Points the stream somewhere else; it goes on without a gap in sequence numbers. */
    async setTarget(next: SpeakerTarget): Promise<void> {
      udp?.close();
      udp = undefined;
      if (next.kind === 'udp') {
        const socket = createSocket('udp4');
        // The fan-out may close first; its port-unreachable then surfaces here.
        socket.on('error', () => {});
        await new Promise<void>((resolve) => socket.connect(next.port, '127.0.0.1', resolve));
        udp = socket;
      }
      target = next;
      if (!timer) {
        startedAt = now();
        due = 0;
        timer = setInterval(tick, 2);
      }
    },

    async close(): Promise<void> {
      clearInterval(timer);
      udp?.close();
      await pc?.close();
    },
  };
}

export type Speaker = ReturnType<typeof createSpeaker>;
