import { describe, expect, it } from 'vitest';
import { wordEdits, wordErrorRate, wordsOf } from './wer.ts';

describe('wordErrorRate', () => {
  it('is zero for the same words, whatever the case and punctuation', () => {
    expect(wordErrorRate('The quick, brown fox.', 'the quick brown fox')).toBe(0);
    expect(wordsOf("  It's  fine!\n")).toEqual(["it's", 'fine']);
  });

  it('counts substitutions, deletions and insertions once each', () => {
    expect(wordEdits(['a', 'b', 'c'], ['a', 'x', 'c'])).toBe(1);
    expect(wordEdits(['a', 'b', 'c'], ['a', 'c'])).toBe(1);
    expect(wordEdits(['a', 'b', 'c'], ['a', 'b', 'x', 'c'])).toBe(1);
    expect(wordErrorRate('the lazy dog', 'the way the dog')).toBeCloseTo(2 / 3);
  });

  it('takes the cheapest alignment, not word-by-word position', () => {
    // Position by position every word differs; one deletion at the start explains it all.
    expect(wordEdits(['x', 'a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'])).toBe(1);
  });

  it('exceeds one when the hypothesis is mostly insertions, and refuses an empty reference', () => {
    expect(wordErrorRate('yes', 'oh yes yes indeed')).toBe(3);
    expect(wordErrorRate('all of it', '')).toBe(1);
    expect(() => wordErrorRate(' ', 'words')).toThrow(RangeError);
  });
});
