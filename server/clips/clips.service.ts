import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { NotFound } from '../errors.ts';
import { cutOggOpus } from '../recordings/cut-ogg-opus.ts';
import { clipKeyOf, playbackKeyOf } from '../recordings/playback-file.ts';
import { RecordingUnavailable } from '../recordings/recording-errors.ts';
import type { ReplayService } from '../recordings/replay.service.ts';
import { titleSchema } from '../spaces/space-input.ts';
import { parseInput } from '../validation.ts';
import { InvalidClipRange } from './clip-errors.ts';

/** How long a clip may be, in seconds. */
export const CLIP_SECONDS = { min: 30, max: 60 } as const;

const clipInputSchema = z.object({
  startSeconds: z.number().finite().nonnegative(),
  endSeconds: z.number().finite().nonnegative(),
  title: titleSchema.nullish(),
});

export type ClipInput = { startSeconds: number; endSeconds: number; title?: string | null };

/**
 * Clips: anyone who may play a recording may cut 30–60 s of it. The part is copied out of the
 * playback file at once (no re-encoding), so a clip plays on its own, and only its range.
 */
export function createClipsService(prisma: PrismaClient, replay: ReplayService) {
  return {
    async create(userId: string, recordingId: string, input: ClipInput) {
      const { startSeconds, endSeconds, title } = parseInput(clipInputSchema, input);
      const { storage } = replay;
      if (!storage) throw new RecordingUnavailable();
      const { recording } = await replay.openRecording(recordingId, userId);
      const durationSeconds = (recording.durationMs ?? 0) / 1000;
      const length = endSeconds - startSeconds;
      if (length < CLIP_SECONDS.min || length > CLIP_SECONDS.max || endSeconds > durationSeconds) {
        throw new InvalidClipRange(CLIP_SECONDS.min, CLIP_SECONDS.max, durationSeconds);
      }
      // A READY recording whose playback file is not there (recorded before the live mix wrote one).
      const source = playbackKeyOf(recording.id);
      if ((await storage.size(source)) === null) throw new NotFound('Recording audio', recordingId);
      const id = randomUUID();
      const key = clipKeyOf(recording.id, id);
      const range = {
        startMs: Math.round(startSeconds * 1000),
        endMs: Math.round(endSeconds * 1000),
      };
      try {
        await cutOggOpus(storage, source, key, range);
        return await prisma.clip.create({
          data: { id, recordingId: recording.id, creatorId: userId, title, key, ...range },
        });
      } catch (error) {
        await storage.remove(key).catch(() => {});
        throw error;
      }
    },
  };
}

export type ClipsService = ReturnType<typeof createClipsService>;
