import { createSignal } from 'solid-js';

export type Floater = { key: number; emoji: string /** -1..1, a sideways drift */; drift: number };

export type ReactionBatch = readonly { participantId: string; emoji: string; count: number }[];

export type ReactionFeedOptions = {
  /** How long each emoji floats. @default 2600 */
  lifetimeMs?: number;
  /** The most emoji one person's burst shows at once, however many they sent. @default 5 */
  maxPerBurst?: number;
};

/**
 * Turns the server's batched reaction counts into short-lived floating emoji per participant.
 * A burst of 40 👏 shows as a few, staggered by their drift, so the screen stays readable.
 */
export function createReactionFeed(options: ReactionFeedOptions = {}) {
  const { lifetimeMs = 2600, maxPerBurst = 5 } = options;
  const [floaters, setFloaters] = createSignal<ReadonlyMap<string, readonly Floater[]>>(new Map());
  let nextKey = 0;

  const remove = (participantId: string, key: number) =>
    setFloaters((current) => {
      const next = new Map(current);
      const left = (next.get(participantId) ?? []).filter((floater) => floater.key !== key);
      if (left.length > 0) next.set(participantId, left);
      else next.delete(participantId);
      return next;
    });

  return {
    push(batch: ReactionBatch) {
      const added: Array<[string, Floater]> = [];
      for (const { participantId, emoji, count } of batch) {
        const shown = Math.max(1, Math.min(count, maxPerBurst));
        for (let i = 0; i < shown; i++) {
          const drift = shown === 1 ? 0 : (i / (shown - 1)) * 2 - 1;
          added.push([participantId, { key: nextKey++, emoji, drift }]);
        }
      }
      if (added.length === 0) return;
      setFloaters((current) => {
        const next = new Map(current);
        for (const [participantId, floater] of added) {
          next.set(participantId, [...(next.get(participantId) ?? []), floater]);
        }
        return next;
      });
      for (const [participantId, floater] of added) {
        setTimeout(() => remove(participantId, floater.key), lifetimeMs);
      }
    },
    /** The emoji floating over one participant now. */
    of: (participantId: string): readonly Floater[] => floaters().get(participantId) ?? [],
  };
}

export type ReactionFeed = ReturnType<typeof createReactionFeed>;
