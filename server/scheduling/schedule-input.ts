import { z } from 'zod';
import { titleSchema, topicsSchema } from '../spaces/space-input.ts';

const DAY_MS = 24 * 60 * 60_000;

/** A start time after `now` and at most `maxDaysAhead` days later. */
export function scheduledStartSchema(now: Date, maxDaysAhead: number) {
  return z
    .date()
    .refine((start) => start.getTime() > now.getTime(), 'must be in the future')
    .refine(
      (start) => start.getTime() <= now.getTime() + maxDaysAhead * DAY_MS,
      `must be at most ${maxDaysAhead} days ahead`,
    );
}

export function scheduleSpaceSchema(now: Date, maxDaysAhead: number) {
  return z.object({
    title: titleSchema,
    topics: topicsSchema.default([]),
    scheduledStart: scheduledStartSchema(now, maxDaysAhead),
  });
}

/** An edit: every field optional, each checked like a new schedule. */
export function updateScheduledSpaceSchema(now: Date, maxDaysAhead: number) {
  return z.object({
    title: titleSchema.optional(),
    topics: topicsSchema.optional(),
    scheduledStart: scheduledStartSchema(now, maxDaysAhead).optional(),
  });
}
