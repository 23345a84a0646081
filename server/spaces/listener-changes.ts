import { createSpaceCoalescer } from './space-coalescer.ts';
import type { ParticipantSnapshot, SpaceEvent, SpaceEventOf } from './space-event.ts';

/** At most one ListenersChanged per space per this interval (the first change goes at once). */
export const LISTENER_CHANGES_INTERVAL_MS = 500;
/** Comings and goings per event; an interval with more sends several events. */
export const LISTENER_CHANGES_PER_EVENT = 100;

type ListenerChange = SpaceEventOf<'ParticipantJoined' | 'ParticipantLeft'> & {
  participant: ParticipantSnapshot;
};

/**
 * A listener coming in or going out of their own accord (a removal, and anything about the host,
 * still goes out on its own: those the room must show at once and by name).
 */
export function isListenerChange(event: SpaceEvent): event is ListenerChange {
  if (event.kind !== 'ParticipantJoined' && event.kind !== 'ParticipantLeft') return false;
  if (event.participant?.role !== 'LISTENER') return false;
  return event.kind === 'ParticipantJoined' || !event.removed;
}

/**
 * Gathers listeners' comings and goings into one ListenersChanged per space per interval. Each
 * participant appears once, as they stood at the last change: someone who came and went within
 * an interval is in `left`. A crowd of 100 joins a second then costs each watcher two messages
 * a second instead of a hundred, and still tells them exactly who is in the room.
 */
export function createListenerChanges(
  send: (event: SpaceEventOf<'ListenersChanged'>) => void,
  intervalMs = LISTENER_CHANGES_INTERVAL_MS,
) {
  const pending = new Map<string, { latest: Map<string, ParticipantSnapshot>; at: string }>();

  const coalescer = createSpaceCoalescer(async (spaceId) => {
    const changes = pending.get(spaceId);
    pending.delete(spaceId);
    if (!changes) return;
    const all = [...changes.latest.values()];
    for (let start = 0; start < all.length; start += LISTENER_CHANGES_PER_EVENT) {
      const chunk = all.slice(start, start + LISTENER_CHANGES_PER_EVENT);
      send({
        kind: 'ListenersChanged',
        spaceId,
        joined: chunk.filter((participant) => participant.leftAt === null),
        left: chunk.filter((participant) => participant.leftAt !== null),
        at: changes.at,
      });
    }
  }, intervalMs);

  return {
    add(event: ListenerChange) {
      let changes = pending.get(event.spaceId);
      if (!changes) {
        changes = { latest: new Map(), at: event.at };
        pending.set(event.spaceId, changes);
      }
      // Re-inserted, so the list keeps the order of each one's last change.
      changes.latest.delete(event.participantId);
      changes.latest.set(event.participantId, event.participant);
      changes.at = event.at;
      coalescer.changed(event.spaceId);
    },
    /** Sends the space's waiting changes now: an event about to go out must not overtake them. */
    flush(spaceId: string) {
      if (pending.has(spaceId)) coalescer.flush(spaceId);
    },
    stop() {
      coalescer.stop();
      pending.clear();
    },
  };
}
