import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { createSpaceCoalescer } from './space-coalescer.ts';
import type { SpaceEventBus } from './space-event.ts';
import type { SpaceTransactions } from './space-transaction.ts';

/** At most one ParticipantCountChanged per space per this interval. */
export const PARTICIPANT_COUNT_INTERVAL_MS = 1_000;

/**
 * Tells a space's subscribers how many people are in it after people come or go, coalesced
 * (see createSpaceCoalescer). The count is counted, not kept in a column every join would
 * have to update; it is one indexed count per space per interval.
 */
export function createParticipantCounts(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  bus: SpaceEventBus,
  clock: Clock,
) {
  const counts = createSpaceCoalescer(async (spaceId) => {
    const participantCount = await prisma.participant.count({ where: { spaceId, leftAt: null } });
    bus.publish({
      kind: 'ParticipantCountChanged',
      spaceId,
      participantCount,
      at: clock.now().toISOString(),
    });
  }, PARTICIPANT_COUNT_INTERVAL_MS);
  const stopWatching = spaces.onCommitted((spaceId, events) => {
    if (
      events.some((event) => event.kind === 'ParticipantJoined' || event.kind === 'ParticipantLeft')
    ) {
      counts.changed(spaceId);
    }
  });
  return {
    stop() {
      stopWatching();
      counts.stop();
    },
  };
}
