import type { Slot } from './worker-slot.ts';

/**
 * Each worker holding a space pays for every packet of it (waking up, receiving it, piping it)
 * whatever its share of the listeners; measured here (bench/cascade) that costs as much as some
 * fifty copies, so a space of a few hundred listeners spread over two workers costs more CPU per
 * copy than on one. A space therefore stays on the workers holding it until they carry this many
 * sessions more than the least loaded worker.
 */
export const DEFAULT_SPREAD_AFTER = 500;

type Placeable = Pick<Slot, 'load' | 'spaces'>;

const leastLoaded = <T extends Placeable>(slots: readonly T[]) =>
  slots.reduce((best, slot) => (slot.load < best.load ? slot : best));

/**
 * The worker for a new session of `spaceId` among `slots` (not empty): the least loaded worker
 * already holding the space, unless it carries `spreadAfter` sessions more than the least loaded
 * of all, which then takes it (and holds the space from then on). With `spreadAfter` 0 every
 * session goes to the least loaded worker.
 */
export function placeSession<T extends Placeable>(
  slots: readonly T[],
  spaceId: string,
  spreadAfter: number,
): T {
  const lightest = leastLoaded(slots);
  const holding = slots.filter((slot) => (slot.spaces.get(spaceId) ?? 0) > 0);
  if (holding.length === 0) return lightest;
  const holder = leastLoaded(holding);
  return holder.load - lightest.load < spreadAfter ? holder : lightest;
}
