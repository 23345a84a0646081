import { describe, expect, it } from 'vitest';
import { isInvisible, measureVisible, visibleText } from './visible-text.ts';

const family = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
const kiss = '\u{1F469}\u{1F3FB}\u200D\u2764\uFE0F\u200D\u{1F48B}\u200D\u{1F468}\u{1F3FC}';

describe('isInvisible', () => {
  it.each([
    ['zero-width space, joiners and BOM', '\u200B\u200C\u200D\uFEFF'],
    ['bidi marks and isolates', '\u200E\u200F\u2066\u2069'],
    ['a variation selector alone', '\uFE0F'],
    ['a Hangul filler', '\u3164'],
    ['the blank Braille pattern', '\u2800'],
    ['ideographic and no-break spaces', '\u3000\u00A0'],
  ])('is true for %s', (_, text) => {
    expect(isInvisible(text)).toBe(true);
  });

  it('is false once anything shows', () => {
    expect(isInvisible('\u200Ba')).toBe(false);
    expect(isInvisible('❤\uFE0F')).toBe(false);
  });
});

describe('measureVisible', () => {
  it('counts grapheme clusters: one per emoji sequence and per accented letter', () => {
    expect(measureVisible(`${family}${kiss}e\u0301`, 10)).toEqual({
      characters: 3,
      stacked: false,
    });
  });

  it('flags a character buried under combining marks', () => {
    expect(measureVisible(`a${'\u0301'.repeat(12)}`, 10)).toEqual({ characters: 1, stacked: true });
  });

  it('stops counting past the limit', () => {
    expect(measureVisible('x'.repeat(10_000), 5).characters).toBe(6);
  });
});

describe('visibleText', () => {
  const title = visibleText(3);

  it('trims and keeps what is visible', () => {
    expect(title.parse(` ${family}ab `)).toBe(`${family}ab`);
  });

  it.each([
    ['', 'must not be empty'],
    ['\u200B\u2060', 'must not be empty'],
    ['abcd', 'must be at most 3 characters'],
    [`a${'\u0336'.repeat(15)}`, 'must not stack combining marks on a character'],
  ])('refuses %j: %s', (text, message) => {
    expect(title.safeParse(text).error?.issues.map((issue) => issue.message)).toEqual([message]);
  });
});
