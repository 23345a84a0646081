/**
 * Real Opus for the speaker: no npm package here encodes Opus, so libwebrtc's encoder
 * (@roamhq/wrtc) sends a few seconds of a voice-like signal to a werift peer in this process,
 * which keeps each packet's payload and RFC 6464 level. The speaker replays them in a loop.
 */
import { createRequire } from 'node:module';
import {
  RTP_EXTENSION_URI,
  useAudioLevelIndication,
  useOPUS,
  RTCPeerConnection as WeriftPeerConnection,
} from 'werift';
import { toLoopback } from './loopback.ts';

type Wrtc = typeof import('@roamhq/wrtc');
const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;

const SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = 480;
const FRAME_MS = 10;

/** One captured packet: its Opus payload and its audio level (0 loudest .. 127 silent). */
export type OpusPacket = { payload: Buffer; level: number };

/**
 * A vowel-like buzz (pitch gliding 110-220 Hz, harmonics falling off with frequency) under a
 * syllable-rate envelope with short pauses, plus a little noise: enough like speech that Opus
 * spends its bits as it would on a voice, not on a pure tone.
 */
function voiceFrame(frame: number): Int16Array {
  const samples = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < FRAME_SAMPLES; i++) {
    const t = (frame * FRAME_SAMPLES + i) / SAMPLE_RATE;
    const pitch = 165 + 55 * Math.sin(2 * Math.PI * 0.7 * t);
    const syllable =
      Math.max(0, Math.sin(2 * Math.PI * 4 * t)) * (Math.sin(0.9 * t) > -0.6 ? 1 : 0);
    let buzz = 0;
    for (let harmonic = 1; harmonic <= 20; harmonic++) {
      buzz += Math.sin(2 * Math.PI * pitch * harmonic * t) / harmonic;
    }
    const noise = (Math.random() - 0.5) * 0.05;
    samples[i] = Math.round((0.25 * syllable * buzz + noise) * 32767 * 0.5);
  }
  return samples;
}

async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
}

/**
 * Captures `seconds` of Opus packets (after skipping the encoder's first half second); werift
 * queries `stunUrl` instead of its default public STUN server.
 */
export async function captureOpus(seconds: number, stunUrl: string): Promise<OpusPacket[]> {
  const sender = new wrtc.RTCPeerConnection({ iceServers: [] });
  const receiver = new WeriftPeerConnection({
    iceServers: [{ urls: stunUrl }],
    iceUseIpv6: false,
    codecs: { audio: [useOPUS()] },
    headerExtensions: { audio: [useAudioLevelIndication()] },
  });
  const source = new wrtc.nonstandard.RTCAudioSource();
  sender.addTransceiver(source.createTrack(), { direction: 'sendonly' });
  let frame = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / FRAME_MS);
    for (; frame < due; frame++) {
      source.onData({ samples: voiceFrame(frame), sampleRate: SAMPLE_RATE, channelCount: 1 });
    }
  }, FRAME_MS);

  const packets: OpusPacket[] = [];
  const wanted = Math.round((seconds * 1000) / 20);
  const skip = 25;
  let seen = 0;
  const done = new Promise<void>((resolve) => {
    receiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((packet, extensions) => {
        if (seen++ < skip || packets.length >= wanted) return;
        const parsed: unknown = extensions?.[RTP_EXTENSION_URI.audioLevelIndication];
        const level =
          typeof parsed === 'object' && parsed !== null && 'level' in parsed
            ? Number(parsed.level)
            : 127;
        packets.push({ payload: Buffer.from(packet.payload), level });
        if (packets.length === wanted) resolve();
      });
    });
  });
  try {
    await sender.setLocalDescription(await sender.createOffer());
    await gathered(sender);
    await receiver.setRemoteDescription({ type: 'offer', sdp: sender.localDescription?.sdp ?? '' });
    await receiver.setLocalDescription(await receiver.createAnswer());
    await sender.setRemoteDescription({
      type: 'answer',
      sdp: toLoopback(receiver.localDescription?.sdp ?? ''),
    });
    const timeout = new Promise<never>((_resolve, reject) =>
      setTimeout(() => reject(new Error('no Opus from libwebrtc within 15 s')), 15_000).unref(),
    );
    await Promise.race([done, timeout]);
    return packets;
  } finally {
    clearInterval(timer);
    sender.close();
    await receiver.close();
  }
}
