import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSpaceCoalescer } from './space-coalescer.ts';

describe('createSpaceCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const recorder = () => {
    const sent: string[] = [];
    return { sent, send: async (spaceId: string) => void sent.push(spaceId) };
  };

  it('sends the first change at once and a burst after it as one send a second later', () => {
    const { sent, send } = recorder();
    const counts = createSpaceCoalescer(send, 1000);
    for (let i = 0; i < 500; i++) counts.changed('a');
    expect(sent).toEqual(['a']);
    vi.advanceTimersByTime(999);
    expect(sent).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['a', 'a']);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual(['a', 'a']);
  });

  it('keeps each space to its own pace', () => {
    const { sent, send } = recorder();
    const counts = createSpaceCoalescer(send, 1000);
    counts.changed('a');
    counts.changed('b');
    counts.changed('a');
    expect(sent).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['a', 'b', 'a']);
  });

  it('sends nothing after stop', () => {
    const { sent, send } = recorder();
    const counts = createSpaceCoalescer(send, 1000);
    counts.changed('a');
    counts.changed('a');
    counts.stop();
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual(['a']);
  });
});
