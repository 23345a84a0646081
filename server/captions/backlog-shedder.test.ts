import { describe, expect, it } from 'vitest';
import { createBacklogShedder } from './backlog-shedder.ts';

const limits = { maxMs: 4000, resumeMs: 1000, delayedMs: 1500 };

describe('createBacklogShedder', () => {
  it('drops audio past the limit until the engine has caught up', () => {
    const shedder = createBacklogShedder(limits);
    expect(shedder.admit(3900)).toBe(true);
    expect(shedder.admit(4100)).toBe(false);
    expect(shedder.admit(2000)).toBe(false);
    expect(shedder.admit(900)).toBe(true);
    expect(shedder.admit(3000)).toBe(true);
  });

  it('marks captions degraded while behind and for the utterance that lost audio', () => {
    const shedder = createBacklogShedder(limits);
    expect(shedder.degraded(500, false)).toBe(false);
    expect(shedder.degraded(2000, false)).toBe(true);
    shedder.admit(5000);
    shedder.admit(500);
    // Caught up, but the utterance under way lost words.
    expect(shedder.degraded(500, false)).toBe(true);
    expect(shedder.degraded(500, true)).toBe(true);
    expect(shedder.degraded(500, false)).toBe(false);
  });
});
