import { z } from 'zod';
import { visibleText } from '../text/visible-text.ts';

export const titleSchema = visibleText(100);

/** Free-text topics, like hashtags: up to three, each 1 to 30 characters, no repeats. */
export const topicsSchema = z
  .array(visibleText(30))
  .max(3, 'at most 3 topics')
  .refine(
    (topics) => new Set(topics.map((topic) => topic.toLowerCase())).size === topics.length,
    'topics must be different',
  );

export const createSpaceSchema = z.object({ title: titleSchema, topics: topicsSchema.default([]) });

/** The reactions everyone's client can show, as on X Spaces. */
export const reactionEmojis = [
  '💯',
  '😂',
  '❤️',
  '👏',
  '✋',
  '🔥',
  '🙏',
  '🤔',
  '😢',
  '👋',
  '🎉',
  '😮',
];

export const reactionSchema = z.enum(reactionEmojis, {
  error: `must be one of ${reactionEmojis.join(' ')}`,
});
