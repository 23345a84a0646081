import type { Participant } from '../../prisma/generated/client/client.ts';
import { AppError, NotAllowed } from '../errors.ts';
import { createOutageLog } from '../outages/outage-log.ts';
import { type PresenceStore, presenceMember } from './presence-store.ts';

export type PresenceConfig = {
  /**
   * How long a participant may have no connection before they leave the space; reconnecting
   * within it keeps their place, silently. @default 30_000
   */
  timeoutMs: number;
};

type Place = { spaceId: string; userId: string };

export type PresenceDeps = {
  store: PresenceStore;
  config: PresenceConfig;
  /** Everyone in a live space now, by the database. */
  participants(): Promise<(Place & { joinedAt: Date })[]>;
  /** Someone's place in a live space, or null if they are not in it. */
  participant(spaceId: string, userId: string): Promise<Participant | null>;
  /** The spaces service's own leave: events, freed seats, host grace. */
  leave(userId: string, spaceId: string): Promise<unknown>;
  /** Connections this instance sees besides the ones held through `hold` (relay sessions). */
  connections(): Iterable<Place>;
  /** @default Date.now; presence is about real sockets, never a test clock */
  now?: () => number;
};

/** How often an instance renews what it holds and looks for people gone past the timeout. */
export const presenceTickMs = ({ timeoutMs }: PresenceConfig) =>
  Math.max(50, Math.min(5_000, Math.floor(timeoutMs / 3)));

/**
 * Who is still there. A participant is present while any of their connections lives, on any
 * instance: each instance renews the places its connections hold in the shared store, and any
 * instance makes someone leave once they have been unseen for the timeout, through the spaces
 * service's leave.
 */
export function createPresence({
  store,
  config,
  participants,
  participant,
  leave,
  connections,
  now = Date.now,
}: PresenceDeps) {
  const holds = new Map<string, Place & { count: number }>();
  const outage = createOutageLog('Presence', 'nobody is timed out until it is back');
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  // After a failed tick the store may be stale for everyone: give them a window before reaping.
  let reapFrom = 0;
  let stopped = false;
  const writes = new Set<Promise<void>>();

  /** Marks members seen now, in the background; `stop` waits for what is under way. */
  function seen(member: string) {
    if (stopped) return;
    const write = store
      .renew([member], now())
      .catch((error: unknown) => outage.failed(error))
      .finally(() => writes.delete(write));
    writes.add(write);
  }

  function heldNow() {
    const held = new Map<string, Place>();
    for (const [member, place] of holds) held.set(member, place);
    for (const place of connections()) held.set(presenceMember(place.spaceId, place.userId), place);
    return held;
  }

  async function reap(held: Map<string, Place>, at: number) {
    const present = await participants();
    const candidates = present.filter(
      (place) => !held.has(presenceMember(place.spaceId, place.userId)),
    );
    const members = candidates.map((place) => presenceMember(place.spaceId, place.userId));
    const seen = await store.lastSeen(members);
    await store.notice(
      members.filter((_, i) => seen[i] === null),
      at,
    );
    const cutoff = at - config.timeoutMs;
    for (const [i, place] of candidates.entries()) {
      const lastSeen = seen[i];
      // A fresh join counts as being seen, whatever the store remembers from a previous visit.
      if (lastSeen == null || Math.max(lastSeen, place.joinedAt.getTime()) > cutoff) continue;
      if (!(await store.claim(members[i]!, cutoff))) continue;
      await leave(place.userId, place.spaceId).catch((error: unknown) => {
        // Left, removed or ended meanwhile: nothing to do.
        if (!(error instanceof AppError)) throw error;
      });
    }
    await store.forget(at - 4 * config.timeoutMs);
  }

  async function tick() {
    const at = now();
    try {
      const held = heldNow();
      await store.renew([...held.keys()], at);
      if (at >= reapFrom) await reap(held, at);
      outage.recovered();
    } catch (error) {
      outage.failed(error);
      reapFrom = now() + config.timeoutMs;
    }
  }

  function round() {
    ticking ??= tick().finally(() => {
      ticking = undefined;
    });
    return ticking;
  }

  return {
    /**
     * Holds someone's place while a connection of theirs lives; the returned function lets go
     * (once), and from then the timeout runs unless another connection holds it.
     */
    hold(spaceId: string, userId: string) {
      const member = presenceMember(spaceId, userId);
      const place = holds.get(member) ?? { spaceId, userId, count: 0 };
      place.count += 1;
      holds.set(member, place);
      seen(member);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        place.count -= 1;
        if (place.count > 0) return;
        holds.delete(member);
        seen(member);
      };
    },

    /**
     * Marks the caller seen in a space they are in: for clients whose connection the server
     * cannot watch (HTTP, SSE), at least once per timeout.
     */
    async heartbeat(userId: string, spaceId: string) {
      const me = await participant(spaceId, userId);
      if (!me) throw new NotAllowed('keep a place in a space you are not in');
      await store.renew([presenceMember(spaceId, userId)], now());
      return me;
    },

    /** Runs one round now: renew, then reap. Rounds never overlap. */
    tick: round,

    start() {
      timer = setInterval(() => void round(), presenceTickMs(config));
      timer.unref();
    },

    /** Stops renewing; what this instance held ages out on the others unless it comes back. */
    async stop() {
      clearInterval(timer);
      await ticking;
      await Promise.all(writes);
      stopped = true;
      await store.close();
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
