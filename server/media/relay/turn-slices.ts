/**
 * Work run in later turns of the event loop, in order, a slice of time per turn: between two
 * turns Node reads its sockets again, so a packet that must reach every listener at once waits
 * behind one slice of this work at most, not behind all of it.
 *
 * @param sliceMs time after which a turn stops taking jobs (one job always runs per turn)
 */
export function createTurnSlices(sliceMs: number) {
  const jobs: (() => void)[] = [];
  let scheduled = false;

  function runSlice(): void {
    const until = performance.now() + sliceMs;
    do {
      const job = jobs.shift();
      if (!job) break;
      try {
        job();
      } catch {
        // One job's failure concerns its own session; the others still run.
      }
    } while (performance.now() < until);
    scheduled = jobs.length > 0;
    if (scheduled) setImmediate(runSlice);
  }

  return {
    /** Runs `job` in a later turn, after the jobs queued before it. */
    defer(job: () => void): void {
      jobs.push(job);
      if (scheduled) return;
      scheduled = true;
      setImmediate(runSlice);
    },

    get queued(): number {
      return jobs.length;
    },
  };
}
