import type { Clock } from '../../server/clock.ts';

/** A clock that moves only when the test says so. */
export function createTestClock(start = new Date('2026-11-23T12:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  } satisfies Clock & { advance(ms: number): void };
}
