import { OpusDecoder } from 'opus-decoder';
import { ENGINE_SAMPLE_RATE } from './speech-engine.ts';

const RTP_CLOCK_RATE = 48_000;
const TICKS_PER_SAMPLE = RTP_CLOCK_RATE / ENGINE_SAMPLE_RATE;
/** Losses longer than this are a pause (mute, network stall), not packets to fill with silence. */
const MAX_FILLED_GAP_TICKS = RTP_CLOCK_RATE;

/** Float samples in [-1, 1] as signed 16-bit PCM. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const sample = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = Math.round(sample * 32767);
  }
  return out;
}

/**
 * Decodes one speaker's Opus frames (as they arrive in RTP) straight to 16 kHz mono: libopus
 * decodes at any of its rates itself, so no separate 48 → 16 kHz resampler is needed. Lost
 * packets inside a stream become silence of their length, so engine time keeps pace with speech.
 */
export async function createOpusToPcm() {
  const decoder = new OpusDecoder({ channels: 1, sampleRate: ENGINE_SAMPLE_RATE });
  await decoder.ready;
  let expected: number | undefined;

  return {
    /**
     * PCM for one RTP payload; a short gap before it (lost packets) comes first, as silence.
     * `continuous` is false for the first packet and after a pause that was not filled.
     */
    decode(payload: Uint8Array, rtpTimestamp: number) {
      const pcm: Int16Array[] = [];
      let continuous = false;
      if (expected !== undefined) {
        const gap = (rtpTimestamp - expected) >>> 0;
        continuous = gap <= MAX_FILLED_GAP_TICKS;
        if (gap > 0 && continuous) pcm.push(new Int16Array(Math.round(gap / TICKS_PER_SAMPLE)));
      }
      const { channelData, samplesDecoded } = decoder.decodeFrame(payload);
      const samples = channelData[0]?.subarray(0, samplesDecoded) ?? new Float32Array();
      expected = (rtpTimestamp + samples.length * TICKS_PER_SAMPLE) >>> 0;
      pcm.push(toInt16(samples));
      return { pcm, continuous };
    },
    /** The next packet starts afresh (no gap filled before it). */
    restart() {
      expected = undefined;
    },
    free: () => decoder.free(),
  };
}

export type OpusToPcm = Awaited<ReturnType<typeof createOpusToPcm>>;
