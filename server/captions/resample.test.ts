import { describe, expect, it } from 'vitest';
import { resample } from './resample.ts';

function sine(hz: number, rate: number, seconds: number): Int16Array {
  return Int16Array.from({ length: rate * seconds }, (_, i) =>
    Math.round(10_000 * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

function crossingsPerSecond(samples: Int16Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
  }
  return (crossings / samples.length) * rate;
}

describe('resample', () => {
  it('keeps the duration, pitch and loudness of 8 kHz speech brought up to 48 kHz', () => {
    const source = sine(440, 8_000, 1);
    const out = resample(source, 8_000, 48_000);
    expect(out.length).toBe(48_000);
    expect(crossingsPerSecond(out, 48_000) / 2).toBeCloseTo(440, -1);
    expect(Math.max(...out)).toBeGreaterThan(9_800);
    // Every sixth output sample is an input sample.
    expect(out[6 * 123]).toBe(source[123]);
  });

  it('refuses downsampling (it would alias) and nonsense rates', () => {
    expect(() => resample(new Int16Array(10), 48_000, 16_000)).toThrow(RangeError);
    expect(() => resample(new Int16Array(10), 0, 16_000)).toThrow(RangeError);
  });
});
