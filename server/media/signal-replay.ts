import { Repeater } from 'graphql-yoga';
import type { MeshSignalMessage } from './mesh-signal.ts';
import type { MeshSignalBus } from './signal.service.ts';

/**
 * Keeps each participant's signals for a moment and replays them to a new subscription. A
 * browser joining a space subscribes to its signals just after joining, while people on stage
 * react to the join by sending an offer at once; without this the offer can arrive before the
 * subscription and the connection waits for a timeout. Covers signals published on this
 * instance (all of them without Redis).
 */
export function withSignalReplay(
  bus: MeshSignalBus,
  { keepMs = 10_000, maxPerParticipant = 100, now = Date.now } = {},
): MeshSignalBus {
  const recent = new Map<string, { message: MeshSignalMessage; at: number }[]>();

  function fresh(inbox: string) {
    const cutoff = now() - keepMs;
    const kept = (recent.get(inbox) ?? []).filter((entry) => entry.at >= cutoff);
    if (kept.length > 0) recent.set(inbox, kept);
    else recent.delete(inbox);
    return kept;
  }

  return {
    publish(message) {
      const kept = fresh(message.inbox);
      kept.push({ message, at: now() });
      recent.set(message.inbox, kept.slice(-maxPerParticipant));
      bus.publish(message);
    },
    subscribe(inbox) {
      return new Repeater<MeshSignalMessage>(async (push, stop) => {
        // Live first (a Repeater starts listening on its first next()), so nothing published
        // while the backlog is replayed is lost.
        const live = bus.subscribe(inbox)[Symbol.asyncIterator]();
        let nextLive = live.next();
        const replayed = new Set<string>();
        for (const { message } of fresh(inbox)) {
          replayed.add(message.id);
          await push(message);
        }
        const stopped = stop.then(() => ({ done: true as const, value: undefined }));
        for (;;) {
          const next = await Promise.race([nextLive, stopped]);
          if (next.done) break;
          nextLive = live.next();
          if (!replayed.has(next.value.id)) await push(next.value);
        }
        await live.return?.();
      });
    },
  };
}
