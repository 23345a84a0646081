import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReactionBatcher } from './reaction-batcher.ts';
import type { SpaceEvent } from './space-event.ts';

describe('createReactionBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = () => {
    const published: SpaceEvent[] = [];
    const batcher = createReactionBatcher(
      (event) => published.push(event),
      250,
      () => new Date(0),
    );
    return { published, batcher };
  };

  it('sends one event per space per window, counting repeats', () => {
    const { published, batcher } = setup();
    for (let i = 0; i < 100; i++) batcher.add('space-1', 'alice', '👏');
    batcher.add('space-1', 'bob', '🔥');
    batcher.add('space-2', 'carol', '❤️');
    expect(published).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(published).toEqual([
      {
        kind: 'ReactionsSent',
        spaceId: 'space-1',
        reactions: [
          { participantId: 'alice', emoji: '👏', count: 100 },
          { participantId: 'bob', emoji: '🔥', count: 1 },
        ],
        at: new Date(0).toISOString(),
      },
      {
        kind: 'ReactionsSent',
        spaceId: 'space-2',
        reactions: [{ participantId: 'carol', emoji: '❤️', count: 1 }],
        at: new Date(0).toISOString(),
      },
    ]);
  });

  it('starts a new window after a flush', () => {
    const { published, batcher } = setup();
    batcher.add('space-1', 'alice', '👏');
    vi.advanceTimersByTime(250);
    batcher.add('space-1', 'alice', '👏');
    vi.advanceTimersByTime(250);
    expect(published).toHaveLength(2);
  });

  it('flushes what is waiting on shutdown and leaves no timers behind', () => {
    const { published, batcher } = setup();
    batcher.add('space-1', 'alice', '👏');
    batcher.flushAll();
    expect(published).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
