/** Time as the services see it; tests substitute a clock they control. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
