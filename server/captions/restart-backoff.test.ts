import { describe, expect, it } from 'vitest';
import { createRestartBackoff } from './restart-backoff.ts';

describe('createRestartBackoff', () => {
  it('waits longer after each quick death, up to a cap, and forgives a long run', () => {
    const backoff = createRestartBackoff({ firstMs: 1000, maxMs: 8000, stableMs: 60_000 });
    const quick = [0, 0, 0, 0, 0].map(() => backoff.delayAfter(500));
    expect(quick).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(backoff.delayAfter(120_000)).toBe(1000);
    expect(backoff.delayAfter(500)).toBe(2000);
  });
});
