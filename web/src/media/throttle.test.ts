import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.ts';
import { createThrottle } from './throttle.ts';

describe('createThrottle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers the first value at once and at most one per interval after that', () => {
    const delivered: number[] = [];
    const throttle = createThrottle((value: number) => delivered.push(value), 200, systemClock());
    throttle.push(1);
    expect(delivered).toEqual([1]);
    for (let value = 2; value <= 10; value += 1) {
      vi.advanceTimersByTime(50);
      throttle.push(value);
    }
    // 450 ms after the first: 1, then the latest at 200 and at 400 ms.
    expect(delivered).toEqual([1, 4, 8]);
    vi.advanceTimersByTime(200);
    expect(delivered).toEqual([1, 4, 8, 10]);
    vi.advanceTimersByTime(1_000);
    expect(delivered).toEqual([1, 4, 8, 10]);
  });

  it('keeps deliveries at least an interval apart when pushed every 10 ms', () => {
    const deliveredAt: number[] = [];
    const clock = systemClock();
    const throttle = createThrottle(() => deliveredAt.push(clock.now()), 200, clock);
    const start = clock.now();
    for (let ms = 0; ms < 2_000; ms += 10) {
      throttle.push(ms);
      vi.advanceTimersByTime(10);
    }
    const gaps = deliveredAt.slice(1).map((at, i) => at - (deliveredAt[i] ?? start));
    expect(gaps.every((gap) => gap >= 200)).toBe(true);
    expect(deliveredAt.filter((at) => at - start < 1_000)).toHaveLength(5);
  });

  it('drops a pending value when cancelled', () => {
    const delivered: number[] = [];
    const throttle = createThrottle((value: number) => delivered.push(value), 1_000, systemClock());
    throttle.push(1);
    throttle.push(2);
    throttle.cancel();
    vi.advanceTimersByTime(5_000);
    expect(delivered).toEqual([1]);
  });
});
