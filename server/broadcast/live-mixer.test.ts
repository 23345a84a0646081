import { Encoder } from '@evan/opus';
import { describe, expect, it } from 'vitest';
import { createLiveMixer, MIX_FRAME_SAMPLES } from './live-mixer.ts';

const RATE = 48_000;

/** A speaker's encoder sending 20 ms packets of a tone at `amplitude` (full scale 1). */
function toneSpeaker(hz: number, amplitude: number) {
  const encoder = new Encoder({ channels: 1, sample_rate: RATE, application: 'audio' });
  let phase = 0;
  return () => {
    const frame = new Int16Array(MIX_FRAME_SAMPLES);
    for (let i = 0; i < frame.length; i++) {
      frame[i] = Math.round(Math.sin((2 * Math.PI * hz * phase++) / RATE) * amplitude * 32767);
    }
    return Uint8Array.from(encoder.encode(frame));
  };
}

/** Strength of `hz` in `pcm` (Goertzel), relative to full scale. */
function strength(pcm: Int16Array, hz: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / RATE);
  let s1 = 0;
  let s2 = 0;
  for (const sample of pcm) {
    const s0 = sample / 32767 + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return Math.sqrt(s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (pcm.length / 2);
}

const concat = (frames: Int16Array[]) => {
  const out = new Int16Array(frames.length * MIX_FRAME_SAMPLES);
  frames.forEach((frame, i) => void out.set(frame, i * MIX_FRAME_SAMPLES));
  return out;
};
const peak = (pcm: Int16Array) => pcm.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
const ready = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('createLiveMixer', () => {
  it('sums two speakers in time, each where they spoke, and fills silence between', async () => {
    const mixer = createLiveMixer({ jitterMs: 100 });
    const low = toneSpeaker(440, 0.3);
    const high = toneSpeaker(1000, 0.3);
    // alice speaks 0–2 s; bob joins at 1 s with another RTP clock and speaks to 3 s.
    const frames: Int16Array[] = [];
    for (let t = 0; t < 150; t++) {
      const at = t * MIX_FRAME_SAMPLES;
      if (t < 100) mixer.push('alice', low(), 1000 + at, at + (t % 3) * 200);
      if (t >= 50) mixer.push('bob', high(), 7_000_000 + at, at + ((t * 7) % 5) * 300);
      // A new speaker's decoder is ready a moment later, well within the jitter delay.
      if (t === 0 || t === 50) await ready();
      frames.push(...mixer.mixUntil(at - 4800));
    }
    frames.push(...mixer.mixUntil(200 * MIX_FRAME_SAMPLES));
    mixer.close();
    const mix = concat(frames);
    // Skips each second's first 20 ms, the decoders' own delay.
    const second = (from: number) => mix.subarray(from * RATE + 960, (from + 1) * RATE);
    expect(strength(second(0), 440)).toBeGreaterThan(0.2);
    expect(strength(second(0), 1000)).toBeLessThan(0.02);
    expect(strength(second(1), 440)).toBeGreaterThan(0.2);
    expect(strength(second(1), 1000)).toBeGreaterThan(0.2);
    expect(strength(second(2), 440)).toBeLessThan(0.02);
    expect(strength(second(2), 1000)).toBeGreaterThan(0.2);
    expect(peak(second(3))).toBe(0);
  });

  it('keeps a DTX gap as silence of its length, by RTP time', async () => {
    const mixer = createLiveMixer({ jitterMs: 100 });
    const tone = toneSpeaker(440, 0.3);
    mixer.push('alice', tone(), 0, 0);
    await ready();
    // Nothing for 600 ms, then the packet stamped 600 ms later arrives 50 ms late.
    mixer.push('alice', tone(), 0.6 * RATE, 0.65 * RATE);
    const mix = concat(mixer.mixUntil(RATE));
    mixer.close();
    const at = (ms: number) => mix.subarray((ms / 1000) * RATE, (ms / 1000) * RATE + 480);
    expect(peak(at(10))).toBeGreaterThan(3000);
    expect(peak(at(300))).toBe(0);
    expect(peak(at(610))).toBeGreaterThan(3000);
  });

  it('limits a loud sum below full scale instead of clipping it', async () => {
    const mixer = createLiveMixer({ jitterMs: 0 });
    const speakers = [toneSpeaker(300, 0.9), toneSpeaker(300, 0.9), toneSpeaker(300, 0.9)];
    const frames: Int16Array[] = [];
    for (let t = 0; t < 50; t++) {
      for (const [i, next] of speakers.entries()) mixer.push(`s${i}`, next(), t * 960, t * 960);
      if (t === 0) await ready();
      frames.push(...mixer.mixUntil(t * 960));
    }
    mixer.close();
    const mix = concat(frames.slice(5));
    expect(peak(mix)).toBeLessThanOrEqual(Math.ceil(0.95 * 32767));
    expect(peak(mix)).toBeGreaterThan(0.8 * 32767);
  });

  it('re-anchors a packet later than the jitter allows to its arrival', async () => {
    const mixer = createLiveMixer({ jitterMs: 100 });
    const tone = toneSpeaker(440, 0.3);
    mixer.push('alice', tone(), 0, 0);
    await ready();
    mixer.push('alice', tone(), 0.6 * RATE, 0.8 * RATE);
    const mix = concat(mixer.mixUntil(RATE));
    mixer.close();
    const at = (ms: number) => mix.subarray((ms / 1000) * RATE, (ms / 1000) * RATE + 480);
    expect(peak(at(610))).toBe(0);
    expect(peak(at(810))).toBeGreaterThan(3000);
  });

  it('makes one frame per 20 ms of its clock, whatever arrives late', async () => {
    const mixer = createLiveMixer({ jitterMs: 20 });
    const tone = toneSpeaker(440, 0.3);
    mixer.push('alice', tone(), 0, 0);
    await ready();
    const early = mixer.mixUntil(RATE);
    mixer.push('alice', tone(), 960, RATE);
    expect(early).toHaveLength(RATE / MIX_FRAME_SAMPLES);
    expect(mixer.mixUntil(2 * RATE)).toHaveLength(RATE / MIX_FRAME_SAMPLES);
    mixer.close();
  });
});
