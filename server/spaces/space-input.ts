import { z } from 'zod';

export const titleSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

/** Free-text topics, like hashtags: up to three, each 1 to 30 characters, no repeats. */
export const topicsSchema = z
  .array(z.string().trim().min(1, 'must not be empty').max(30, 'must be at most 30 characters'))
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
