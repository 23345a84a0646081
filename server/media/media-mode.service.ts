import type { Space } from '../../prisma/generated/client/client.ts';
import { SpaceNotLive } from '../errors.ts';
import type { SpaceEvent } from '../spaces/space-event.ts';
import type { EmittedEvent, SpaceTransactions, Tx } from '../spaces/space-transaction.ts';
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
  /** Moves a mesh space onto the relay if the policy says it outgrew the mesh; under the lock. */
  async function decide(tx: Tx, space: Space, emit: (event: EmittedEvent) => void) {
    if (space.mediaMode === 'RELAY') return;
    const present = { spaceId: space.id, leftAt: null };
    const participants = await tx.participant.count({ where: present });
    const speakers = await tx.participant.count({
      where: { ...present, role: { not: 'LISTENER' } },
    });
    const audience = { participants, speakers, relayAudience: space.relayAudience };
    if (chooseMediaMode(space.mediaMode, audience, policy) === 'MESH') return;
    await tx.space.update({ where: { id: space.id }, data: { mediaMode: 'RELAY' } });
    emit({ kind: 'MediaModeChanged', mode: 'RELAY' });
  }

  /**
   * Someone (a guest) is about to listen through the relay: a mesh space stays a mesh unless the
   * extra publication outgrows the policy, and its speakers are told to publish to the relay too.
   * It stays set while the space lives: a guest's departure is only noticed when the relay drops
   * the session, on its instance alone, and the next guest then hears the stage at once.
   */
  async function admitRelayAudience(spaceId: string) {
    await spaces.inLiveSpace(spaceId, async (tx, space, emit) => {
      if (space.mediaMode === 'RELAY' || space.relayAudience) return;
      const updated = await tx.space.update({
        where: { id: spaceId },
        data: { relayAudience: true },
      });
      emit({ kind: 'RelayAudienceChanged', relayAudience: true });
      await decide(tx, updated, emit);
    });
  }

  const evaluate = (spaceId: string) => spaces.inLiveSpace(spaceId, decide);

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
    admitRelayAudience,
  };
}
