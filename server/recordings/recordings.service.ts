import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { NotAllowed, NotFound } from '../errors.ts';
import type { EventBus } from '../pubsub.ts';
import type { SpaceTransactions } from '../spaces/space-transaction.ts';
import { RecordingInProgress, RecordingUnavailable } from './recording-errors.ts';
import type { RecordingStorage } from './recording-storage.ts';

/** Published when a space starts being recorded, for the recorder on every instance. */
export type RecordingStarted = { spaceId: string };

export const RECORDINGS_KEY = 'all';

/**
 * A host's choice to record, and deleting what was recorded. Recording needs the speakers' audio
 * on the server, so a recorded mesh space moves onto the relay (as captions do).
 */
export function createRecordingsService(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  bus: EventBus,
  clock: Clock,
  /** Null where this deployment cannot record (no relay or no storage). */
  storage: RecordingStorage | null,
) {
  return {
    available: storage !== null,

    /** Throws RecordingUnavailable before anything is created, where recording cannot happen. */
    assertAvailable(): void {
      if (!storage) throw new RecordingUnavailable();
    },

    /**
     * Host only; the space must be live. Idempotent. `fromStart`: chosen as the space started,
     * so the recording is the whole space (time 0 is its start, however long starting took).
     */
    async record(userId: string, spaceId: string, { fromStart = false } = {}) {
      if (!storage) throw new RecordingUnavailable();
      const space = await spaces.inLiveSpace(spaceId, async (tx, space, emit) => {
        if (space.hostId !== userId) throw new NotAllowed('record a space you do not host');
        const startedAt = (space.startedAt ?? space.createdAt).getTime();
        const existing = await tx.recording.findUnique({ where: { spaceId } });
        if (!existing) {
          await tx.recording.create({
            data: {
              spaceId,
              startMs: fromStart ? 0 : Math.max(0, clock.now().getTime() - startedAt),
            },
          });
          emit({ kind: 'RecordingStarted' });
        }
        if (space.mediaMode === 'MESH') {
          emit({ kind: 'MediaModeChanged', mode: 'RELAY' });
          return tx.space.update({ where: { id: spaceId }, data: { mediaMode: 'RELAY' } });
        }
        return space;
      });
      bus.publish('recordings', RECORDINGS_KEY, { spaceId });
      return space;
    },

    /** Host only, once the recording is over: its files go first, then its record. */
    async remove(userId: string, spaceId: string) {
      const recording = await prisma.recording.findUnique({
        where: { spaceId },
        include: { space: true },
      });
      if (!recording) throw new NotFound('Recording', spaceId);
      if (recording.space.hostId !== userId) throw new NotAllowed('delete this recording');
      if (recording.state === 'RECORDING') throw new RecordingInProgress();
      await storage?.removeAll(recording.id);
      await prisma.recording.delete({ where: { id: recording.id } });
      return recording.space;
    },
  };
}

export type RecordingsService = ReturnType<typeof createRecordingsService>;
