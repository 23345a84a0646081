/** A publisher seated in a slot. */
export type SlotHolder = { slot: number; participantId: string };

/**
 * Seats publishers in a fixed number of slots: a publisher takes the lowest free slot and keeps it
 * until released, so listeners' slot-to-speaker mapping only changes when someone joins or leaves.
 */
export function createSlotTable(size: number) {
  const holders: (string | undefined)[] = Array.from({ length: size }, () => undefined);
  const slots = new Map<string, number>();

  function release(participantId: string): boolean {
    const slot = slots.get(participantId);
    if (slot === undefined) return false;
    slots.delete(participantId);
    holders[slot] = undefined;
    return true;
  }

  return {
    slotOf(participantId: string): number | undefined {
      return slots.get(participantId);
    },

    /** Returns the publisher's slot, seating them first if needed; undefined when every slot is taken. */
    acquire(participantId: string): { slot: number; seated: boolean } | undefined {
      const held = slots.get(participantId);
      if (held !== undefined) return { slot: held, seated: false };
      const free = holders.indexOf(undefined);
      if (free === -1) return undefined;
      holders[free] = participantId;
      slots.set(participantId, free);
      return { slot: free, seated: true };
    },

    release,

    /** Releases everyone not in `allowed`; returns who lost their slot. */
    keepOnly(allowed: ReadonlySet<string>): string[] {
      const revoked = [...slots.keys()].filter((participantId) => !allowed.has(participantId));
      for (const participantId of revoked) release(participantId);
      return revoked;
    },

    holders(): SlotHolder[] {
      return [...slots].map(([participantId, slot]) => ({ slot, participantId }));
    },

    get occupied(): number {
      return slots.size;
    },
  };
}

export type SlotTable = ReturnType<typeof createSlotTable>;
