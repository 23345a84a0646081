import { describe, expect, it } from 'vitest';
import { createPartialThrottle } from './partial-throttle.ts';

describe('createPartialThrottle', () => {
  it('lets one partial per speaker through per interval, and every final', () => {
    let now = 0;
    const throttle = createPartialThrottle(300, () => now);
    expect(throttle.admit('ann', false)).toBe(true);
    now = 100;
    expect(throttle.admit('ann', false)).toBe(false);
    expect(throttle.admit('bob', false)).toBe(true);
    expect(throttle.admit('ann', true)).toBe(true);
    // A final starts a new utterance: its first partial shows at once.
    expect(throttle.admit('ann', false)).toBe(true);
    now = 399;
    expect(throttle.admit('ann', false)).toBe(false);
    now = 400;
    expect(throttle.admit('ann', false)).toBe(true);
  });
});
