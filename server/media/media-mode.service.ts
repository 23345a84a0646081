import type { PrismaClient, Space } from '../../prisma/generated/client/client.ts';
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
 * Decides when a space outgrows its browser mesh: after committed roster changes, on the
 * instance that made them, moving it under the space's lock, so every client hears one
 * MediaModeChanged.
 */
export function createMediaModeService(
  spaces: SpaceTransactions,
  policy: MeshPolicy,
  prisma: PrismaClient,
) {
  /**
   * Spaces this instance saw on the relay, which they never leave: a crowd joining one costs no
   * decision (and no lock on the space) per join.
   */
  const onRelay = new Set<string>();
  async function outgrown(db: Tx | PrismaClient, spaceId: string, relayAudience: boolean) {
    const present = { spaceId, leftAt: null };
    const participants = await db.participant.count({ where: present });
    const speakers = await db.participant.count({
      where: { ...present, role: { not: 'LISTENER' } },
    });
    return chooseMediaMode('MESH', { participants, speakers, relayAudience }, policy) === 'RELAY';
  }

  /** Moves a mesh space onto the relay, under its lock, if it outgrew the mesh. */
  async function moveIfOutgrown(tx: Tx, space: Space, emit: (event: EmittedEvent) => void) {
    if (space.mediaMode === 'RELAY') return void onRelay.add(space.id);
    if (!(await outgrown(tx, space.id, space.relayAudience))) return;
    await tx.space.update({ where: { id: space.id }, data: { mediaMode: 'RELAY' } });
    emit({ kind: 'MediaModeChanged', mode: 'RELAY' });
  }

  async function evaluate(spaceId: string) {
    const current = await prisma.space.findUnique({
      where: { id: spaceId },
      select: { mediaMode: true, state: true, relayAudience: true },
    });
    if (current?.mediaMode === 'RELAY') return void onRelay.add(spaceId);
    // Most changes keep the mesh: only a move takes the space's lock, and looks again under it.
    if (current?.state !== 'LIVE') return;
    if (!(await outgrown(prisma, spaceId, current.relayAudience))) return;
    await spaces.inLiveSpace(spaceId, moveIfOutgrown);
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
      await moveIfOutgrown(tx, updated, emit);
    });
  }

  const pending = new Set<Promise<void>>();
  let stopWatching: (() => void) | null = null;
  /** Spaces with a decision under way, and whether another change came in meanwhile. */
  const deciding = new Map<string, { again: boolean }>();

  function decide(spaceId: string, retry = false) {
    const running = deciding.get(spaceId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false, failed: false };
    deciding.set(spaceId, state);
    const evaluation = evaluate(spaceId)
      .catch((error: unknown) => {
        // The space may have ended meanwhile; anything else is a bug worth seeing.
        if (error instanceof SpaceNotLive) return;
        console.error('choosing the media mode failed', error);
        // A busy database (a crowd joining) may refuse once; the room must not stay a mesh.
        state.failed = true;
      })
      .finally(() => {
        pending.delete(evaluation);
        deciding.delete(spaceId);
        // One more decision covers every change that came in during this one.
        if (!stopWatching) return;
        if (state.again) decide(spaceId);
        else if (state.failed && !retry) decide(spaceId, true);
      });
    pending.add(evaluation);
  }

  return {
    /** Starts watching committed changes. */
    start() {
      stopWatching ??= spaces.onCommitted((spaceId, events) => {
        for (const event of events) {
          if (event.kind === 'MediaModeChanged') onRelay.add(spaceId);
          if (event.kind === 'SpaceStateChanged' && event.state !== 'LIVE') onRelay.delete(spaceId);
        }
        if (onRelay.has(spaceId)) return;
        if (!events.some((event) => rosterChanges.has(event.kind))) return;
        decide(spaceId);
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
