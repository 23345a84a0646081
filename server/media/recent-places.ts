import type { Participant } from '../../prisma/generated/client/client.ts';

type Place = Participant;

/**
 * How long a place read for one signal vouches for the next. A change committed on this instance
 * forgets the places it touched at once; one committed on another instance is seen by signals
 * here within this time.
 */
export const RECENT_PLACE_MS = 2_000;

type Remembered = { spaceId: string; place: Place; readAt: number };

/** When a read began: what it found may be remembered only if nothing changed since. */
export type ReadStart = { tick: number; at: number };

/**
 * The places in live spaces that mesh signalling read in the last moments. A connection's
 * signals come in a burst (offer, answer, candidates) between the same two people: reading both
 * places from the database for each one put a round trip, often behind other work, in the path
 * of every offer and answer. Only presence is remembered; a refusal is never decided from here
 * (see `SignalService`), and changes forget what they touch (`forget`).
 */
export function createRecentPlaces(now: () => number, maxAgeMs = RECENT_PLACE_MS) {
  // Keyed by place and by user within a space; oldest first, since each read is re-inserted.
  const remembered = new Map<string, Remembered>();
  // The last change to each space, or to a place in it (keyed as `remembered`), oldest first.
  // One older than maxAgeMs can go: a read that began before it is too old to be remembered.
  const changes = new Map<string, ReadStart>();
  let ticks = 0;
  const byId = (spaceId: string, participantId: string) => `${spaceId} ${participantId}`;
  const byUser = (spaceId: string, userId: string) => `${spaceId} user ${userId}`;

  function dropExpired() {
    const oldest = now() - maxAgeMs;
    for (const [key, entry] of remembered) {
      if (entry.readAt > oldest) break;
      remembered.delete(key);
    }
    for (const [key, change] of changes) {
      if (change.at > oldest) break;
      changes.delete(key);
    }
  }

  function fresh(key: string): Place | undefined {
    const entry = remembered.get(key);
    return entry && entry.readAt > now() - maxAgeMs ? entry.place : undefined;
  }

  return {
    /** Marks the start of a read, to hand to `remember` with what it found. */
    beginRead: (): ReadStart => ({ tick: ticks, at: now() }),

    /**
     * `userId`'s place and those of `participantIds` in the space, if all were read recently;
     * otherwise null (read them).
     */
    find(spaceId: string, userId: string, participantIds: readonly string[]) {
      dropExpired();
      const sender = fresh(byUser(spaceId, userId));
      if (!sender) return null;
      const places: Place[] = [sender];
      for (const id of participantIds) {
        const place = id === sender.id ? sender : fresh(byId(spaceId, id));
        if (!place) return null;
        places.push(place);
      }
      return { sender, places };
    },

    /** The places of `participantIds` in the space, if all were read recently; otherwise null. */
    findAll(spaceId: string, participantIds: readonly string[]) {
      dropExpired();
      const places: Place[] = [];
      for (const id of participantIds) {
        const place = fresh(byId(spaceId, id));
        if (!place) return null;
        places.push(place);
      }
      return places;
    },

    /**
     * Remembers places present in the space as a read that began at `start` found them, but not
     * those that changed since it began (nor any, if the whole space did).
     */
    remember(spaceId: string, places: readonly Place[], start: ReadStart) {
      dropExpired();
      if (now() - start.at >= maxAgeMs) return;
      const changedSince = (key: string) => (changes.get(key)?.tick ?? -1) > start.tick;
      if (changedSince(spaceId)) return;
      for (const place of places) {
        if (changedSince(byId(spaceId, place.id))) continue;
        const entry = { spaceId, place, readAt: start.at };
        for (const key of [byId(spaceId, place.id), byUser(spaceId, place.userId)]) {
          remembered.delete(key);
          remembered.set(key, entry);
        }
      }
    },

    /** Forgets the places of a space that changed (all of them, without `participantIds`). */
    forget(spaceId: string, participantIds?: readonly string[]) {
      const change = { tick: ++ticks, at: now() };
      for (const key of participantIds?.map((id) => byId(spaceId, id)) ?? [spaceId]) {
        changes.delete(key);
        changes.set(key, change);
      }
      for (const [key, entry] of remembered) {
        if (entry.spaceId !== spaceId) continue;
        if (!participantIds || participantIds.includes(entry.place.id)) remembered.delete(key);
      }
    },
  };
}
