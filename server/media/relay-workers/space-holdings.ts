import type { PipeFederation } from './pipe-federation.ts';
import type { PipeTarget } from './worker-protocol.ts';
import type { Slot } from './worker-slot.ts';

/**
 * Which workers of a pool hold which spaces (a session open or opening there), and the pipes that
 * follow: every worker holding a space pipes its publishers to the space's other holders, in
 * this pool and in the pools of other instances (`federation`).
 */
export function createSpaceHoldings(
  slots: readonly Slot[],
  federation: () => PipeFederation | null,
) {
  function holders(spaceId: string): Slot[] {
    return slots.filter((slot) => (slot.spaces.get(spaceId) ?? 0) > 0 && slot.worker);
  }

  /**
   * Tells every worker holding the space where to pipe its publishers: the pool's other holders,
   * and those of other instances' pools.
   */
  function repipe(spaceId: string): void {
    const holding = holders(spaceId);
    const own: PipeTarget[] = holding.map((slot) => ({
      ...slot.worker!.pipe,
      senderId: slot.senderId,
    }));
    const joined = federation();
    const elsewhere = joined?.targets(spaceId) ?? [];
    for (const slot of holding) {
      const targets = own.filter((target) => target.senderId !== slot.senderId);
      slot.worker!.command({ type: 'pipeTargets', spaceId, targets: [...targets, ...elsewhere] });
    }
    joined?.record(spaceId, own);
  }

  return {
    repipe,

    /**
     * The pool joined the other instances' pools after its workers started alone: each takes a
     * sender id of the common count with the common key (a worker keeps its sessions, where a
     * restart would drop them), then the spaces held are piped anew, which records them for the
     * other pools as a join at start would have.
     */
    async takeUp(joined: PipeFederation): Promise<void> {
      const held = [...slots];
      const workers = await Promise.all(held.map((slot) => slot.started?.catch(() => null)));
      // Every id before any worker changes key: a failure leaves the pool alone as a whole, not
      // split between two keys.
      const senderIds = await Promise.all(workers.map((worker) => worker && joined.nextSenderId()));
      held.forEach((slot, index) => {
        const worker = workers[index];
        const senderId = senderIds[index];
        if (!worker || slot.worker !== worker || typeof senderId !== 'number') return;
        worker.command({ type: 'rekey', key: joined.key, senderId });
        slot.senderId = senderId;
      });
      for (const spaceId of new Set(held.flatMap((slot) => [...slot.spaces.keys()]))) {
        repipe(spaceId);
      }
    },

    /** One more session of the space on `slot`, open or opening. */
    hold(slot: Slot, spaceId: string): void {
      const count = slot.spaces.get(spaceId) ?? 0;
      slot.spaces.set(spaceId, count + 1);
      slot.load++;
      if (count === 0) repipe(spaceId);
    },

    /** One session fewer; the slot's last one lets the space go there. */
    release(slot: Slot, spaceId: string): void {
      const count = (slot.spaces.get(spaceId) ?? 1) - 1;
      slot.load--;
      if (count > 0) {
        slot.spaces.set(spaceId, count);
        return;
      }
      slot.spaces.delete(spaceId);
      // Forgets the space's stand-ins and pipes there; its publishers come back with the next open.
      slot.worker?.command({ type: 'pipeTargets', spaceId, targets: [] });
      slot.worker?.call({ type: 'closeSpace', spaceId }).catch(() => {});
      repipe(spaceId);
    },
  };
}
