/**
 * Sends what changed in a space at most once per `intervalMs` per space: the first change goes
 * out at once, later ones in the same interval as one send at its end. A crowd of joins then
 * costs each subscriber one count a second (and one list of comings and goings per interval),
 * not one message per join.
 */
export function createSpaceCoalescer(send: (spaceId: string) => Promise<void>, intervalMs: number) {
  /** Spaces inside an interval, and whether they changed again since its send. */
  const windows = new Map<string, { changed: boolean; timer: NodeJS.Timeout }>();

  const sendNow = (spaceId: string) => {
    send(spaceId).catch((error: unknown) =>
      console.error('sending a coalesced space change failed', error),
    );
    const timer = setTimeout(() => {
      const window = windows.get(spaceId);
      windows.delete(spaceId);
      if (window?.changed) sendNow(spaceId);
    }, intervalMs);
    timer.unref();
    windows.set(spaceId, { changed: false, timer });
  };

  return {
    /** Notes that the space changed. */
    changed(spaceId: string) {
      const window = windows.get(spaceId);
      if (window) window.changed = true;
      else sendNow(spaceId);
    },
    /** Sends what is waiting for the end of the interval now (something must not overtake it). */
    flush(spaceId: string) {
      const window = windows.get(spaceId);
      if (!window?.changed) return;
      clearTimeout(window.timer);
      sendNow(spaceId);
    },
    stop() {
      for (const { timer } of windows.values()) clearTimeout(timer);
      windows.clear();
    },
  };
}

export type SpaceCoalescer = ReturnType<typeof createSpaceCoalescer>;
