import type { ReactionCount, SpaceEvent } from './space-event.ts';

/**
 * Gathers a space's reactions for `windowMs` and publishes them as one event, so a busy space
 * costs each subscriber one execution per window rather than one per reaction.
 */
export function createReactionBatcher(
  publish: (event: SpaceEvent) => void,
  windowMs: number,
  now: () => Date,
) {
  const pending = new Map<string, { counts: Map<string, ReactionCount>; timer: NodeJS.Timeout }>();

  function flush(spaceId: string) {
    const batch = pending.get(spaceId);
    if (!batch) return;
    pending.delete(spaceId);
    clearTimeout(batch.timer);
    publish({
      kind: 'ReactionsSent',
      spaceId,
      reactions: [...batch.counts.values()],
      at: now().toISOString(),
    });
  }

  return {
    add(spaceId: string, participantId: string, emoji: string) {
      let batch = pending.get(spaceId);
      if (!batch) {
        const timer = setTimeout(() => flush(spaceId), windowMs);
        timer.unref();
        batch = { counts: new Map(), timer };
        pending.set(spaceId, batch);
      }
      const key = `${participantId} ${emoji}`;
      const count = batch.counts.get(key);
      if (count) count.count += 1;
      else batch.counts.set(key, { participantId, emoji, count: 1 });
    },

    /** Sends whatever is waiting, e.g. on shutdown. */
    flushAll() {
      for (const spaceId of [...pending.keys()]) flush(spaceId);
    },
  };
}

export type ReactionBatcher = ReturnType<typeof createReactionBatcher>;
