/**
 * Lets at most one partial caption per speaker through per interval; finals always pass. A
 * partial dropped here is soon replaced by a newer partial or by the final of its utterance.
 */
export function createPartialThrottle(intervalMs: number, now: () => number) {
  const lastSent = new Map<string, number>();
  return {
    /** Whether to publish this segment of `speaker` now. */
    admit(speaker: string, final: boolean): boolean {
      if (final) {
        lastSent.delete(speaker);
        return true;
      }
      const at = now();
      const last = lastSent.get(speaker);
      if (last !== undefined && at - last < intervalMs) return false;
      lastSent.set(speaker, at);
      return true;
    },
  };
}
