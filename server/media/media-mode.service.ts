import { SpaceNotLive } from '../errors.ts';
import type { SpaceEvent } from '../spaces/space-event.ts';
import type { SpaceTransactions } from '../spaces/space-transaction.ts';
import { chooseMediaMode, type MeshPolicy } from './mesh-policy.ts';

const rosterChanges = new Set<SpaceEvent['kind']>([
  'ParticipantJoined',
  'ParticipantLeft',
  'RoleChanged',
]);

/**
 * Decides when a space outgrows its browser mesh: after each committed roster change, on the
 * instance that made it, under the space's lock, so every client hears one MediaModeChanged.
 */
export function createMediaModeService(spaces: SpaceTransactions, policy: MeshPolicy) {
  /** Moves a space onto the relay now, whatever its size (e.g. for guests). */
  async function moveToRelay(spaceId: string) {
    await spaces.inLiveSpace(spaceId, async (tx, space, emit) => {
      if (space.mediaMode === 'RELAY') return;
      await tx.space.update({ where: { id: spaceId }, data: { mediaMode: 'RELAY' } });
      emit({ kind: 'MediaModeChanged', mode: 'RELAY' });
    });
  }

  async function evaluate(spaceId: string) {
    await spaces.inLiveSpace(spaceId, async (tx, space, emit) => {
      if (space.mediaMode === 'RELAY') return;
      const present = { spaceId, leftAt: null };
      const participants = await tx.participant.count({ where: present });
      const speakers = await tx.participant.count({
        where: { ...present, role: { not: 'LISTENER' } },
      });
      if (chooseMediaMode(space.mediaMode, { participants, speakers }, policy) === 'MESH') return;
      await tx.space.update({ where: { id: spaceId }, data: { mediaMode: 'RELAY' } });
      emit({ kind: 'MediaModeChanged', mode: 'RELAY' });
    });
  }

  const pending = new Set<Promise<void>>();
  let stopWatching: (() => void) | null = null;

  return {
    /** Starts watching committed changes. */
    start() {
      stopWatching ??= spaces.onCommitted((spaceId, events) => {
        if (!events.some((event) => rosterChanges.has(event.kind))) return;
        const evaluation = evaluate(spaceId)
          .catch((error: unknown) => {
            // The space may have ended meanwhile; anything else is a bug worth seeing.
            if (!(error instanceof SpaceNotLive)) {
              console.error('choosing the media mode failed', error);
            }
          })
          .finally(() => pending.delete(evaluation));
        pending.add(evaluation);
      });
    },
    /** Stops watching and waits for decisions under way, so shutdown never cuts one short. */
    async stop() {
      stopWatching?.();
      stopWatching = null;
      await Promise.all(pending);
    },
    evaluate,
    moveToRelay,
  };
}
