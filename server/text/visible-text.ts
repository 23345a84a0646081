import { z } from 'zod';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Whitespace and what renders as nothing: zero-width spaces and joiners, the BOM, bidi marks,
// variation selectors, Hangul fillers (all Default_Ignorable) and the blank Braille pattern.
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/**
 * Code points one user-perceived character may hold. The longest emoji sequences (a kiss with two
 * skin tones) take 10; more is a stack of combining marks ("zalgo") that draws over other lines.
 */
export const MAX_CODE_POINTS_PER_CHARACTER = 12;

export const isInvisible = (text: string) => text.replace(INVISIBLE, '') === '';

type Measure = { characters: number; stacked: boolean };

/** Counts what users see (grapheme clusters), stopping once past `limit`. */
export function measureVisible(text: string, limit: number): Measure {
  let characters = 0;
  for (const { segment } of graphemes.segment(text)) {
    characters += 1;
    // Counting code points, not UTF-16 units: an emoji outside the BMP is one code point.
    let codePoints = 0;
    for (const _ of segment) codePoints += 1;
    if (codePoints > MAX_CODE_POINTS_PER_CHARACTER) return { characters, stacked: true };
    if (characters > limit) break;
  }
  return { characters, stacked: false };
}

/**
 * Text people read (titles, names, topics): trimmed, something visible left, at most `max`
 * characters as users count them, and no character buried under combining marks.
 */
export function visibleText(max: number) {
  return z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      if (isInvisible(text)) {
        ctx.addIssue({ code: 'custom', message: 'must not be empty' });
        return;
      }
      const { characters, stacked } = measureVisible(text, max);
      if (stacked) {
        ctx.addIssue({ code: 'custom', message: 'must not stack combining marks on a character' });
      } else if (characters > max) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters` });
      }
    });
}
