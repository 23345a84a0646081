/**
 * Past this much audio waiting for a speaker's engine, new audio is dropped: an overloaded
 * machine shows late, gappy captions, not captions that fall further behind without limit.
 */
export const MAX_BACKLOG_MS = 4000;
/** Dropping stops once the engine is back under this (hysteresis: no flapping at the limit). */
export const RESUME_BACKLOG_MS = 1000;
/** Captions made while more than this waits are marked delayed. */
export const DELAYED_BACKLOG_MS = 1500;

export type BacklogLimits = { maxMs: number; resumeMs: number; delayedMs: number };

const defaultLimits: BacklogLimits = {
  maxMs: MAX_BACKLOG_MS,
  resumeMs: RESUME_BACKLOG_MS,
  delayedMs: DELAYED_BACKLOG_MS,
};

/**
 * Bounds one speaker's engine backlog (audio written but not yet recognised) by dropping new
 * audio while it is too long, and says which captions viewers should see as degraded: those made
 * while the engine runs behind, and those of an utterance that lost audio.
 */
export function createBacklogShedder(limits: BacklogLimits = defaultLimits) {
  let shedding = false;
  let droppedInUtterance = false;
  return {
    /** Whether to write the next audio, given the engine's backlog now. */
    admit(backlogMs: number): boolean {
      if (shedding && backlogMs <= limits.resumeMs) shedding = false;
      else if (!shedding && backlogMs > limits.maxMs) shedding = true;
      if (shedding) droppedInUtterance = true;
      return !shedding;
    },
    /** Whether a caption recognised now is delayed or missing words; a final closes its utterance. */
    degraded(backlogMs: number, final: boolean): boolean {
      const degraded = droppedInUtterance || backlogMs > limits.delayedMs;
      if (final) droppedInUtterance = shedding;
      return degraded;
    },
  };
}
