import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Repeater } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { CaptionsSwitch } from './captions/caption-runner.ts';
import type { Listenable } from './graphql/event-stream.ts';
import type { MeshSignalMessage } from './media/mesh-signal.ts';
import { createOutageLog } from './outages/outage-log.ts';
import type { RecordingStateChanged } from './recordings/recording-state-changed.ts';
import type { RecordingStarted } from './recordings/recordings.service.ts';
import type { NotificationMessage } from './scheduling/notification.service.ts';
import type { SpaceEvent } from './spaces/space-event.ts';

/** Every kind of message that crosses the bus, by topic; each is keyed (a space, a participant). */
export type Topics = {
  'space-events': SpaceEvent;
  'mesh-signals': MeshSignalMessage;
  /** Keyed by the user told. */
  notifications: NotificationMessage;
  /** Captions turned on or off; one key (`all`) so every relay instance hears every space. */
  captions: CaptionsSwitch;
  recordings: RecordingStarted;
  /** Keyed by space: its recording became READY or FAILED. */
  'recording-states': RecordingStateChanged;
};

export type Topic = keyof Topics;

export type EventBus = {
  publish<T extends Topic>(topic: T, key: string, payload: Topics[T]): void;
  subscribe<T extends Topic>(topic: T, key: string): Listenable<Topics[T]>;
  /** Subscriptions on this instance listening to one key of a topic now. */
  watchers(topic: Topic, key: string): number;
};

/** The Redis channel of one key of a topic, e.g. `amphi:space-events:<spaceId>`. */
export const channelOf = (topic: Topic, key: string) => `amphi:${topic}:${key}`;

/**
 * In one process, messages go straight from publisher to subscribers through an EventTarget.
 * With a Redis URL that target is yoga's Redis event target, so every instance behind a load
 * balancer hears every message.
 */
export function createEventBus(redisUrl: string | undefined) {
  let eventTarget: EventTarget = new EventTarget();
  // Every subscription on a busy space listens on one channel; that is the point, not a leak.
  setMaxListeners(0, eventTarget);
  let clients: Redis[] = [];
  if (redisUrl) {
    // disableClientInfo: ioredis 5.11 sends CLIENT SETINFO, which a subscriber connection refuses.
    // While Redis is away a publish fails after one reconnection attempt (a long queue would
    // replay stale events) and subscriptions wait, to be renewed on reconnection.
    const publishClient = new Redis(redisUrl, { disableClientInfo: true, maxRetriesPerRequest: 1 });
    const subscribeClient = new Redis(redisUrl, {
      disableClientInfo: true,
      maxRetriesPerRequest: null,
    });
    clients = [publishClient, subscribeClient];
    const outage = createOutageLog('Redis (events)', 'live events are dropped until it is back');
    for (const client of clients) {
      client.on('error', (error: unknown) => outage.failed(error));
      client.on('ready', () => outage.recovered());
    }
    eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
    // redis-event-target drops the promises of publish, subscribe and unsubscribe; one that
    // fails (Redis away, or the client closed with commands queued) must not be unhandled.
    const publish = publishClient.publish.bind(publishClient);
    publishClient.publish = ((channel: string, message: string) =>
      publish(channel, message).catch((error: unknown) => {
        outage.failed(error);
        return 0;
      })) as typeof publishClient.publish;
    const subscribe = subscribeClient.subscribe.bind(subscribeClient);
    subscribeClient.subscribe = ((channel: string) =>
      subscribe(channel).catch((error: unknown) => {
        outage.failed(error);
        return 0;
      })) as typeof subscribeClient.subscribe;
    const unsubscribe = subscribeClient.unsubscribe.bind(subscribeClient);
    subscribeClient.unsubscribe = ((channel: string) =>
      unsubscribe(channel).catch((error: unknown) => {
        outage.failed(error);
        return 0;
      })) as typeof subscribeClient.unsubscribe;
  }
  /**
   * Each channel's listeners on this instance, behind one listener on the event target: Node's
   * EventTarget looks through a channel's listeners on every add, so 10,000 subscribers to one
   * space made subscribing quadratic.
   */
  const channels = new Map<
    string,
    { callbacks: Set<(value: unknown) => void>; target: EventListener }
  >();

  function listenTo(channel: string, onValue: (value: unknown) => void) {
    let entry = channels.get(channel);
    if (!entry) {
      const callbacks = new Set<(value: unknown) => void>();
      const target = (event: Event) => {
        const { detail } = event as CustomEvent<unknown>;
        for (const callback of callbacks) {
          try {
            callback(detail);
          } catch (error) {
            // One subscriber's failure must not keep the message from the others.
            console.error('a subscriber failed on a bus message', error);
          }
        }
      };
      entry = { callbacks, target };
      channels.set(channel, entry);
      eventTarget.addEventListener(channel, target);
    }
    const { callbacks, target } = entry;
    // Each call is its own listener, even with the same callback.
    const callback = (value: unknown) => onValue(value);
    callbacks.add(callback);
    return () => {
      if (!callbacks.delete(callback) || callbacks.size > 0) return;
      channels.delete(channel);
      eventTarget.removeEventListener(channel, target);
    };
  }

  const bus: EventBus = {
    publish: (topic, key, payload) => {
      eventTarget.dispatchEvent(new CustomEvent(channelOf(topic, key), { detail: payload }));
    },
    subscribe: <T extends Topic>(topic: T, key: string): Listenable<Topics[T]> => {
      const channel = channelOf(topic, key);
      const listen = (onValue: (value: Topics[T]) => void) =>
        listenTo(channel, onValue as (value: unknown) => void);
      const values = new Repeater<Topics[T]>(async (push, stop) => {
        const unlisten = listen((value) => void push(value));
        await stop;
        unlisten();
      });
      return Object.assign(values, { listen });
    },
    watchers: (topic, key) => channels.get(channelOf(topic, key))?.callbacks.size ?? 0,
  };
  return {
    bus,
    close: async () => {
      // quit() waits for a connection that may never come back; only a ready client can quit.
      await Promise.all(
        clients.map((client) =>
          client.status === 'ready'
            ? client.quit().catch(() => client.disconnect())
            : client.disconnect(),
        ),
      );
    },
  };
}
