import { OpusDecoder } from 'opus-decoder';
import { createLimiter } from './limiter.ts';
import { createSpeakerPlacement } from './speaker-placement.ts';

export const MIX_SAMPLE_RATE = 48_000;
/** The mix is made and encoded in 20 ms frames, Opus's usual size. */
export const MIX_FRAME_SAMPLES = 960;
/** A speaker silent this long has their decoder freed (they left, or were muted for long). */
const IDLE_SPEAKER_SAMPLES = 30 * MIX_SAMPLE_RATE;

type Chunk = { start: number; pcm: Float32Array };
type Packet = { payload: Uint8Array; rtpTimestamp: number; atSample: number };
type Speaker = {
  decoder: OpusDecoder<typeof MIX_SAMPLE_RATE>;
  /** Packets that came while the decoder's WebAssembly was being instantiated. */
  waiting: Packet[] | null;
  placement: ReturnType<typeof createSpeakerPlacement>;
  chunks: Chunk[];
  lastHeard: number;
};

export type LiveMixerOptions = {
  /**
   * How far behind arrival the mix is made (ms; `mixUntil` is called that far behind now): a
   * packet later than its RTP place by less than this still makes it into that place; a later one
   * is placed at its arrival.
   */
  jitterMs: number;
};

/**
 * The sum of every speaker of a space, as 20 ms frames of 16-bit mono PCM. Each speaker's Opus is
 * decoded (opus-decoder, libopus in WebAssembly) and placed on one timeline in samples since the
 * mixer was made, which is arrival time (see speaker-placement.ts); where a speaker sent nothing (silence, DTX, before
 * they joined, after they left) they add nothing. `mixUntil` is driven by a clock, so the mix keeps
 * going through silence and a late packet never stalls it.
 */
export function createLiveMixer(options: LiveMixerOptions) {
  const jitterSamples = Math.round((options.jitterMs * MIX_SAMPLE_RATE) / 1000);
  const speakers = new Map<string, Speaker>();
  const limiter = createLimiter();
  /** The first sample not mixed yet: every frame before it has been returned. */
  let mixed = 0;

  function speakerOf(id: string, at: number): Speaker {
    let speaker = speakers.get(id);
    if (!speaker) {
      const decoder = new OpusDecoder({ channels: 1, sampleRate: MIX_SAMPLE_RATE });
      const created: Speaker = {
        decoder,
        waiting: [],
        placement: createSpeakerPlacement(jitterSamples),
        chunks: [],
        lastHeard: at,
      };
      speakers.set(id, created);
      decoder.ready.then(
        () => {
          const waiting = created.waiting ?? [];
          created.waiting = null;
          // Closed (or forgotten) before its decoder was ready: free it now, it can be.
          if (speakers.get(id) !== created) return created.decoder.free();
          for (const packet of waiting) decode(created, packet);
        },
        () => speakers.delete(id),
      );
      speaker = created;
    }
    return speaker;
  }

  function decode(speaker: Speaker, packet: Packet) {
    const { channelData, samplesDecoded, errors } = speaker.decoder.decodeFrame(packet.payload);
    const pcm = channelData[0];
    if (errors.length > 0 || !pcm || samplesDecoded === 0) return;
    const start = speaker.placement.place(packet.rtpTimestamp, packet.atSample);
    const end = start + samplesDecoded;
    if (end <= mixed) return;
    const skip = Math.max(0, mixed - start);
    speaker.chunks.push({ start: start + skip, pcm: pcm.slice(skip, samplesDecoded) });
  }

  function addInto(frame: Float32Array, frameStart: number, speaker: Speaker) {
    const frameEnd = frameStart + frame.length;
    for (const chunk of speaker.chunks) {
      const from = Math.max(frameStart, chunk.start);
      const to = Math.min(frameEnd, chunk.start + chunk.pcm.length);
      for (let t = from; t < to; t++) frame[t - frameStart]! += chunk.pcm[t - chunk.start]!;
    }
    speaker.chunks = speaker.chunks.filter((chunk) => chunk.start + chunk.pcm.length > frameEnd);
  }

  return {
    /**
     * One RTP payload of `speakerId`, which arrived at `atSample` (samples since the mix began).
     * Kept until decoded: pass a copy of a reused buffer.
     */
    push(speakerId: string, payload: Uint8Array, rtpTimestamp: number, atSample: number): void {
      const speaker = speakerOf(speakerId, atSample);
      speaker.lastHeard = atSample;
      const packet = { payload, rtpTimestamp, atSample };
      if (speaker.waiting) speaker.waiting.push(packet);
      else decode(speaker, packet);
    },

    /**
     * Every whole frame that ends at or before `atSample` and was not returned yet, in order.
     * Frames are Int16 PCM, `MIX_FRAME_SAMPLES` long.
     */
    mixUntil(atSample: number): Int16Array[] {
      const frames: Int16Array[] = [];
      while (mixed + MIX_FRAME_SAMPLES <= atSample) {
        const frame = new Float32Array(MIX_FRAME_SAMPLES);
        for (const speaker of speakers.values()) addInto(frame, mixed, speaker);
        frames.push(limiter.apply(frame));
        mixed += MIX_FRAME_SAMPLES;
      }
      for (const [id, speaker] of speakers) {
        if (
          speaker.waiting ||
          speaker.chunks.length > 0 ||
          atSample - speaker.lastHeard < IDLE_SPEAKER_SAMPLES
        ) {
          continue;
        }
        speaker.decoder.free();
        speakers.delete(id);
      }
      return frames;
    },

    /** Speakers with a decoder now. */
    speakerCount: () => speakers.size,

    close(): void {
      for (const speaker of speakers.values()) if (!speaker.waiting) speaker.decoder.free();
      speakers.clear();
    },
  };
}

export type LiveMixer = ReturnType<typeof createLiveMixer>;
