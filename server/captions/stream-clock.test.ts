import { describe, expect, it } from 'vitest';
import { createStreamClock } from './stream-clock.ts';

describe('createStreamClock', () => {
  it('places engine time after the anchor of the run it belongs to', () => {
    const clock = createStreamClock();
    expect(clock.toSpaceMs(120)).toBe(120);
    clock.anchor(0, 5_000);
    clock.anchor(2_000, 60_000);
    expect(clock.toSpaceMs(1_500)).toBe(6_500);
    expect(clock.toSpaceMs(2_500)).toBe(60_500);
    clock.forgetBefore(2_100);
    expect(clock.toSpaceMs(2_500)).toBe(60_500);
  });
});
