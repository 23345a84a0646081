import type { EventBus } from '../pubsub.ts';
import { createListenerChanges, isListenerChange } from './listener-changes.ts';
import { isSequenced, type SpaceEvent, type SpaceEventBus } from './space-event.ts';
import type { SpaceSequence } from './space-sequence.ts';

const ends = (event: SpaceEvent) =>
  event.kind === 'SpaceStateChanged' && (event.state === 'ENDED' || event.state === 'CANCELED');

/**
 * Space events on the shared bus, numbered per space as they go out (see SpaceSequence). Each
 * space's events leave this instance in the order they were published, unnumbered ones (counts,
 * reactions) included, though drawing a number from Redis takes a round trip. An event whose
 * number cannot be drawn is dropped, as the bus would drop it, and subscribers see the gap.
 * Listeners' comings and goings go out gathered (ListenersChanged), before any other numbered
 * event of their space.
 */
export function createSpaceEventBus(bus: EventBus, sequence: SpaceSequence): SpaceEventBus {
  /** Each space's last event still on its way out. */
  const tails = new Map<string, Promise<void>>();

  async function send(event: SpaceEvent) {
    if (!isSequenced(event)) return bus.publish('space-events', event.spaceId, event);
    const number = await sequence.next(event.spaceId);
    bus.publish('space-events', event.spaceId, { ...event, sequence: number });
    if (ends(event)) sequence.forget(event.spaceId);
  }

  function enqueue(event: SpaceEvent) {
    const { spaceId } = event;
    const tail = (tails.get(spaceId) ?? Promise.resolve())
      .then(() => send(event))
      .catch(() => {
        // Logged once per outage by the sequence.
      })
      .finally(() => {
        if (tails.get(spaceId) === tail) tails.delete(spaceId);
      });
    tails.set(spaceId, tail);
  }

  const listenerChanges = createListenerChanges(enqueue);

  return {
    publish(event) {
      if (isListenerChange(event)) return listenerChanges.add(event);
      if (isSequenced(event)) listenerChanges.flush(event.spaceId);
      enqueue(event);
    },
    subscribe: (spaceId) => bus.subscribe('space-events', spaceId),
  };
}
