/**
 * When each (space, user) was last seen connected, in ms since the epoch: the one record of
 * presence that every instance shares. Members are `presenceMember(spaceId, userId)`.
 */
export type PresenceStore = {
  /** Marks members as seen at `at`; a later time already stored is kept. */
  renew(members: readonly string[], at: number): Promise<void>;
  /** When each member was last seen, or null for one never seen (in the order asked). */
  lastSeen(members: readonly string[]): Promise<(number | null)[]>;
  /** Starts the clock for members never seen: from now on they have one window to connect. */
  notice(members: readonly string[], at: number): Promise<void>;
  /**
   * Takes a member out if it was last seen at or before `cutoff`, atomically, so of several
   * instances reaping at once exactly one makes it leave. True for the one that took it.
   */
  claim(member: string, cutoff: number): Promise<boolean>;
  /** Drops members last seen before `before` (people who left and never came back). */
  forget(before: number): Promise<void>;
  close(): Promise<void>;
};

export const presenceMember = (spaceId: string, userId: string) => `${spaceId}:${userId}`;

/** One instance without Redis: kept in memory, so a restart gives everyone a fresh window. */
export function createMemoryPresenceStore(): PresenceStore {
  const seen = new Map<string, number>();
  return {
    async renew(members, at) {
      for (const member of members) seen.set(member, Math.max(at, seen.get(member) ?? at));
    },
    async lastSeen(members) {
      return members.map((member) => seen.get(member) ?? null);
    },
    async notice(members, at) {
      for (const member of members) if (!seen.has(member)) seen.set(member, at);
    },
    async claim(member, cutoff) {
      const at = seen.get(member);
      if (at === undefined || at > cutoff) return false;
      seen.delete(member);
      return true;
    },
    async forget(before) {
      for (const [member, at] of seen) if (at < before) seen.delete(member);
    },
    async close() {},
  };
}
