import { describe, expect, it } from 'vitest';
import { currentLineIndex, onTimeline, playbackClock } from './replay-lines.ts';

const lines = onTimeline(
  [
    { text: 'one', speaker: 'Ann', startMs: 3000, endMs: 5000 },
    { text: 'two', speaker: 'Bob', startMs: 6000, endMs: 9000 },
    { text: 'three', speaker: 'Ann', startMs: 12_000, endMs: 13_000 },
  ],
  2000,
);

describe('currentLineIndex', () => {
  it('follows the line being spoken and holds the last one through pauses', () => {
    expect(lines.map((line) => line.startSeconds)).toEqual([1, 4, 10]);
    expect(currentLineIndex(lines, 0.5)).toBe(-1);
    expect(currentLineIndex(lines, 1)).toBe(0);
    // A seek to a line may land a frame before it.
    expect(currentLineIndex(lines, 3.98)).toBe(1);
    expect(currentLineIndex(lines, 3.5)).toBe(0);
    expect(currentLineIndex(lines, 4)).toBe(1);
    expect(currentLineIndex(lines, 9.9)).toBe(1);
    expect(currentLineIndex(lines, 500)).toBe(2);
    expect(currentLineIndex([], 5)).toBe(-1);
  });
});

describe('playbackClock', () => {
  it('writes minutes and seconds, and hours past the hour', () => {
    expect(playbackClock(0)).toBe('0:00');
    expect(playbackClock(65.9)).toBe('1:05');
    expect(playbackClock(3725)).toBe('1:02:05');
  });
});
