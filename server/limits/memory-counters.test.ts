import { describe, expect, it } from 'vitest';
import { createMemoryCounters } from './memory-counters.ts';

describe('createMemoryCounters', () => {
  it('counts hits in a window that opens at the first hit and then starts again', async () => {
    let now = 0;
    const counters = createMemoryCounters(10, () => now);
    expect(await counters.hit('a', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
    now = 400;
    expect(await counters.hit('a', 1_000)).toEqual({ count: 2, resetInMs: 600 });
    now = 1_000;
    expect(await counters.hit('a', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
  });

  it('forgets values when they expire', async () => {
    let now = 0;
    const counters = createMemoryCounters(10, () => now);
    await counters.set('a', 'x', 100);
    expect(await counters.get('a')).toBe('x');
    now = 100;
    expect(await counters.get('a')).toBeNull();
  });

  it('holds at most maxEntries keys, dropping the oldest', async () => {
    const counters = createMemoryCounters(3);
    for (const key of ['a', 'b', 'c', 'd']) await counters.hit(key, 60_000);
    expect(await counters.get('a')).toBeNull();
    expect(await counters.get('d')).toBe('1');
  });
});
