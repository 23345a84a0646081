/**
 * Maps engine time (ms of audio written) to caption time (ms since the space started). Audio is
 * only written while someone speaks, so each resumption after a pause sets a new anchor.
 * Before any anchor, engine time is returned as it is.
 */
export function createStreamClock() {
  const anchors: { streamMs: number; spaceMs: number }[] = [];
  return {
    /** Audio written from `streamMs` on was heard at `spaceMs`. */
    anchor(streamMs: number, spaceMs: number): void {
      anchors.push({ streamMs, spaceMs });
    },
    /** The space time of an engine time. */
    toSpaceMs(streamMs: number): number {
      const anchor = anchors.findLast((candidate) => candidate.streamMs <= streamMs) ?? anchors[0];
      return anchor ? Math.round(anchor.spaceMs + streamMs - anchor.streamMs) : streamMs;
    },
    /** Drops anchors before `streamMs` (once everything before it is final), keeping one. */
    forgetBefore(streamMs: number): void {
      while (anchors.length > 1 && anchors[1]!.streamMs <= streamMs) anchors.shift();
    },
  };
}
