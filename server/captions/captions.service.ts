import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { NotAllowed, NotFound } from '../errors.ts';
import type { EventBus } from '../pubsub.ts';
import { isHostTeam } from '../spaces/roles.ts';
import { requirePresent, type SpaceTransactions } from '../spaces/space-transaction.ts';
import { CAPTIONS_KEY } from './caption-runner.ts';
import { CaptionsUnavailable } from './captions-errors.ts';
import { type TranscriptLine, toPlainText, toWebVtt } from './transcript-format.ts';

export type TranscriptFormat = 'txt' | 'vtt';

/**
 * Turning captions on and off, and the transcript they leave. Captions need server audio, so
 * turning them on moves a mesh space onto the relay in the same transaction (the relay upgrade
 * is make-before-break, so nobody hears a gap).
 */
export function createCaptionsService(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  bus: EventBus,
  /** Whether this deployment can caption (a speech engine and a relay). */
  available: boolean,
) {
  return {
    /** Host team only. Speakers are told through a CaptionsChanged event. */
    async setCaptions(userId: string, spaceId: string, on: boolean) {
      const space = await spaces.inLiveSpace(spaceId, async (tx, space, emit) => {
        const actor = await requirePresent(tx, spaceId, userId, 'turn captions on or off');
        if (!isHostTeam(actor.role)) throw new NotAllowed('turn captions on or off');
        if (on && !available) throw new CaptionsUnavailable();
        if (space.captionsOn === on) return space;
        const toRelay = on && space.mediaMode === 'MESH';
        const updated = await tx.space.update({
          where: { id: spaceId },
          data: { captionsOn: on, ...(toRelay ? { mediaMode: 'RELAY' as const } : {}) },
        });
        if (toRelay) emit({ kind: 'MediaModeChanged', mode: 'RELAY' });
        emit({ kind: 'CaptionsChanged', on });
        return updated;
      });
      bus.publish('captions', CAPTIONS_KEY, { spaceId, on });
      return space;
    },

    /**
     * The whole transcript as a file, once the space has ended; null while it is live (the file
     * would be incomplete) and NotFound for no such space.
     */
    async transcriptFile(spaceId: string, format: TranscriptFormat): Promise<string | null> {
      const space = await prisma.space.findUnique({ where: { id: spaceId } });
      if (!space) throw new NotFound('Space', spaceId);
      if (space.state !== 'ENDED') return null;
      const segments = await prisma.transcriptSegment.findMany({
        where: { spaceId },
        orderBy: [{ startMs: 'asc' }, { id: 'asc' }],
      });
      const participants = await prisma.participant.findMany({
        where: { id: { in: [...new Set(segments.map((segment) => segment.participantId))] } },
        select: { id: true, user: { select: { name: true } } },
      });
      const names = new Map(participants.map((p) => [p.id, p.user.name]));
      const lines: TranscriptLine[] = segments.map((segment) => ({
        speaker: names.get(segment.participantId) ?? 'Speaker',
        text: segment.text,
        startMs: segment.startMs,
        endMs: segment.endMs,
      }));
      return format === 'vtt' ? toWebVtt(lines) : toPlainText(lines);
    },
  };
}

export type CaptionsService = ReturnType<typeof createCaptionsService>;
