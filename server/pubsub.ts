import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { SpaceEvent, SpaceEventBus } from './spaces/space-event.ts';

/** The Redis channel prefix; one space's events go to `amphi:space-events:<spaceId>`. */
export const spaceEventsTopic = 'amphi:space-events';

/**
 * In one process, events go straight from publisher to subscribers. With a Redis URL they go
 * through Redis, so every instance behind a load balancer hears every space's events.
 */
export function createSpaceEventBus(redisUrl: string | undefined) {
  let eventTarget: ReturnType<typeof createRedisEventTarget> | undefined;
  let clients: Redis[] = [];
  if (redisUrl) {
    // disableClientInfo: ioredis 5.11 sends CLIENT SETINFO, which a subscriber connection refuses.
    const publishClient = new Redis(redisUrl, { disableClientInfo: true });
    const subscribeClient = new Redis(redisUrl, { disableClientInfo: true });
    clients = [publishClient, subscribeClient];
    eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  }
  const pubsub = createPubSub<{ [spaceEventsTopic]: [spaceId: string, event: SpaceEvent] }>(
    eventTarget ? { eventTarget } : {},
  );
  const bus: SpaceEventBus = {
    publish: (event) => pubsub.publish(spaceEventsTopic, event.spaceId, event),
    subscribe: (spaceId) => pubsub.subscribe(spaceEventsTopic, spaceId),
  };
  return {
    bus,
    close: async () => {
      await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}
