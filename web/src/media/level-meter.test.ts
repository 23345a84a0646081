import { describe, expect, it } from 'vitest';
import { rmsLevel } from './level-meter.ts';

describe('rmsLevel', () => {
  it('is 0 for silence and for no samples', () => {
    expect(rmsLevel(new Float32Array(128))).toBe(0);
    expect(rmsLevel(new Float32Array(0))).toBe(0);
  });

  it('is the amplitude for a full-scale square wave and amplitude/√2 for a sine', () => {
    const square = Float32Array.from({ length: 256 }, (_, i) => (i % 2 ? 0.5 : -0.5));
    expect(rmsLevel(square)).toBeCloseTo(0.5);
    const sine = Float32Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * i) / 48));
    expect(rmsLevel(sine)).toBeCloseTo(Math.SQRT1_2, 3);
  });

  it('never exceeds 1', () => {
    expect(rmsLevel(Float32Array.from([4, -4]))).toBe(1);
  });
});
