import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { NotFound, TicketRequired } from '../errors.ts';
import type { EventBus } from '../pubsub.ts';
import type { SpaceService } from '../spaces/space.service.ts';
import { RecordingNotReady } from './recording-errors.ts';
import type { RecordingStorage } from './recording-storage.ts';

/**
 * Who may play what was recorded: the rule of the space itself (space-gate.ts), so a public
 * space's recording is open to guests and a ticketed one only to its ticket holders and host team.
 */
export function createReplayService(
  prisma: PrismaClient,
  spaces: Pick<SpaceService, 'mayHear'>,
  /** Null where this deployment keeps no recordings. */
  storage: RecordingStorage | null,
  bus: EventBus,
) {
  async function openRecording(recordingId: string, userId: string | null) {
    const recording = await prisma.recording.findUnique({
      where: { id: recordingId },
      include: { space: { select: { id: true, hostId: true } } },
    });
    if (!recording) throw new NotFound('Recording', recordingId);
    if (!(await spaces.mayHear(recording.space, userId))) throw new TicketRequired();
    if (recording.state !== 'READY') throw new RecordingNotReady(recording.state);
    return {
      recording,
      /** Anyone may play it, signed in or not: caches may keep it. */
      public: await spaces.mayHear(recording.space, null),
    };
  }

  return {
    storage,
    /**
     * The recording, when `userId` (null: a guest) may play it. Throws NotFound (no such or
     * deleted recording), TicketRequired, or RecordingNotReady.
     */
    openRecording,

    /**
     * The space's recording once it is READY or FAILED (at once if it already is), then ends.
     * Throws NotFound when the space has no recording.
     */
    async *settled(spaceId: string) {
      // Subscribed before the state is read, so a change in between is not missed.
      const changes = bus.subscribe('recording-states', spaceId)[Symbol.asyncIterator]();
      try {
        const recording = await prisma.recording.findUnique({ where: { spaceId } });
        if (!recording) throw new NotFound('Recording', spaceId);
        if (recording.state !== 'RECORDING') {
          yield recording;
          return;
        }
        const next = await changes.next();
        if (next.done) return;
        const settled = await prisma.recording.findUnique({ where: { spaceId } });
        if (settled) yield settled;
      } finally {
        await changes.return?.();
      }
    },

    /** A clip, when `userId` may play its recording; same errors as `openRecording`. */
    async openClip(clipId: string, userId: string | null) {
      const clip = await prisma.clip.findUnique({ where: { id: clipId } });
      if (!clip) throw new NotFound('Clip', clipId);
      const opened = await openRecording(clip.recordingId, userId);
      return { ...opened, clip };
    },
  };
}

export type ReplayService = ReturnType<typeof createReplayService>;
