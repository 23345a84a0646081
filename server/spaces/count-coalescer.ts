/**
 * Sends a space's participant count when it changes, at most once per `intervalMs` per space:
 * the first change goes out at once, later ones in the same interval as one send at its end.
 * A crowd of joins then costs each subscriber one count a second, not one per join.
 */
export function createCountCoalescer(send: (spaceId: string) => Promise<void>, intervalMs: number) {
  /** Spaces inside an interval, and whether they changed again since its send. */
  const windows = new Map<string, { changed: boolean; timer: NodeJS.Timeout }>();

  const sendNow = (spaceId: string) => {
    send(spaceId).catch((error: unknown) =>
      console.error('sending a participant count failed', error),
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
    /** Notes that the space's count may have changed. */
    changed(spaceId: string) {
      const window = windows.get(spaceId);
      if (window) window.changed = true;
      else sendNow(spaceId);
    },
    stop() {
      for (const { timer } of windows.values()) clearTimeout(timer);
      windows.clear();
    },
  };
}

export type CountCoalescer = ReturnType<typeof createCountCoalescer>;
