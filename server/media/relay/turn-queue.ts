/**
 * Work run in later turns of the event loop, in order, one job per turn: between two turns Node
 * reads its sockets again, so a packet that must reach every listener at once waits behind one
 * job at most, not behind all of them. One job, not a slice of time: a job's promise
 * continuations (werift's handshake steps) must run before the next job, as they did when each
 * datagram had a callback of its own; several jobs in one callback would run before them (a
 * Finished record decrypted before the key exchange that keys it).
 */
export function createTurnQueue() {
  const jobs: (() => void)[] = [];
  let scheduled = false;

  function runOne(): void {
    const job = jobs.shift();
    scheduled = jobs.length > 0;
    // Queued from inside an immediate, this one runs in the next turn, after a read of the sockets.
    if (scheduled) setImmediate(runOne);
    try {
      job?.();
    } catch {
      // One job's failure concerns its own session; the others still run.
    }
  }

  return {
    /** Runs `job` in a later turn, after the jobs queued before it. */
    defer(job: () => void): void {
      jobs.push(job);
      if (scheduled) return;
      scheduled = true;
      setImmediate(runOne);
    },
  };
}
