import { cleanup, render, screen } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FloatingReactions } from './FloatingReactions.tsx';
import { createReactionFeed } from './reaction-feed.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('reactions', () => {
  it('turns a batch of counts into emoji floating over each sender, capped per burst', () => {
    createRoot((dispose) => {
      const feed = createReactionFeed({ maxPerBurst: 3, lifetimeMs: 1000 });
      feed.push([
        { participantId: 'a', emoji: '👏', count: 40 },
        { participantId: 'b', emoji: '🔥', count: 1 },
        { participantId: 'a', emoji: '❤️', count: 2 },
      ]);
      expect(feed.of('a').map((f) => f.emoji)).toEqual(['👏', '👏', '👏', '❤️', '❤️']);
      expect(feed.of('b').map((f) => f.emoji)).toEqual(['🔥']);
      expect(feed.of('c')).toEqual([]);
      dispose();
    });
  });

  it('lets each emoji float away after its lifetime', () => {
    createRoot((dispose) => {
      const feed = createReactionFeed({ lifetimeMs: 1000 });
      feed.push([{ participantId: 'a', emoji: '👏', count: 1 }]);
      vi.advanceTimersByTime(500);
      feed.push([{ participantId: 'a', emoji: '🎉', count: 1 }]);
      vi.advanceTimersByTime(600);
      expect(feed.of('a').map((f) => f.emoji)).toEqual(['🎉']);
      vi.advanceTimersByTime(500);
      expect(feed.of('a')).toEqual([]);
      dispose();
    });
  });

  it('renders the sender’s floating emoji as they arrive, hidden from screen readers', () => {
    const feed = createRoot(() => createReactionFeed({ lifetimeMs: 1000 }));
    const { container } = render(() => <FloatingReactions floaters={feed.of('a')} />);
    expect(screen.queryAllByTestId('floating-reaction')).toHaveLength(0);
    feed.push([{ participantId: 'a', emoji: '🙏', count: 2 }]);
    const drawn = screen.getAllByTestId('floating-reaction').map((e) => e.querySelector('img'));
    expect(drawn.map((image) => image?.alt)).toEqual(['🙏', '🙏']);
    expect(drawn.every((image) => /^data:image\/svg\+xml|\.svg$/.test(image?.src ?? ''))).toBe(
      true,
    );
    expect(container.firstElementChild?.getAttribute('aria-hidden')).toBe('true');
    vi.advanceTimersByTime(1000);
    expect(screen.queryAllByTestId('floating-reaction')).toHaveLength(0);
  });
});
