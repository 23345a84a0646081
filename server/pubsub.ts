import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Repeater } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { SpaceEvent, SpaceEventBus } from './spaces/space-event.ts';

/** The Redis channel prefix; one space's events go to `amphi:space-events:<spaceId>`. */
export const spaceEventsTopic = 'amphi:space-events';

const topicOf = (spaceId: string) => `${spaceEventsTopic}:${spaceId}`;

/**
 * In one process, events go straight from publisher to subscribers through an EventTarget. With
 * a Redis URL that target is yoga's Redis event target, so every instance behind a load balancer
 * hears every space's events.
 */
export function createSpaceEventBus(redisUrl: string | undefined) {
  let eventTarget: EventTarget = new EventTarget();
  let clients: Redis[] = [];
  if (redisUrl) {
    // disableClientInfo: ioredis 5.11 sends CLIENT SETINFO, which a subscriber connection refuses.
    const publishClient = new Redis(redisUrl, { disableClientInfo: true });
    const subscribeClient = new Redis(redisUrl, { disableClientInfo: true });
    clients = [publishClient, subscribeClient];
    eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  }
  const watchers = new Map<string, number>();
  const countWatcher = (spaceId: string, change: 1 | -1) => {
    const count = (watchers.get(spaceId) ?? 0) + change;
    if (count > 0) watchers.set(spaceId, count);
    else watchers.delete(spaceId);
  };

  const bus: SpaceEventBus & { watchers(spaceId: string): number } = {
    publish: (event) => {
      eventTarget.dispatchEvent(new CustomEvent(topicOf(event.spaceId), { detail: event }));
    },
    subscribe: (spaceId) =>
      new Repeater<SpaceEvent>(async (push, stop) => {
        const listener = (event: Event) => void push((event as CustomEvent<SpaceEvent>).detail);
        eventTarget.addEventListener(topicOf(spaceId), listener);
        countWatcher(spaceId, 1);
        await stop;
        eventTarget.removeEventListener(topicOf(spaceId), listener);
        countWatcher(spaceId, -1);
      }),
    /** Subscriptions on this instance listening to a space now. */
    watchers: (spaceId) => watchers.get(spaceId) ?? 0,
  };
  return {
    bus,
    close: async () => {
      await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}

export type AppSpaceEventBus = ReturnType<typeof createSpaceEventBus>['bus'];
