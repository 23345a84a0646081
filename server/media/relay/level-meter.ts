/** RFC 6464 level of silence (-127 dBov), which also marks a muted source. */
const SILENT_DBOV = 127;
/** Opus DTX and comfort-noise frames are a few bytes; anything larger carries sound. */
const DTX_MAX_BYTES = 3;

/** Converts an RFC 6464 level (0..127, meaning 0 to -127 dBov) to 0..1 as browsers report it. */
export function levelFromDbov(dbov: number): number {
  if (dbov >= SILENT_DBOV) return 0;
  return 10 ** (-dbov / 20);
}

/** Level proxy for packets without the audio-level extension: 1 for sound, 0 for DTX. */
export function levelFromPayloadSize(bytes: number): number {
  return bytes > DTX_MAX_BYTES ? 1 : 0;
}

/** Levels are reported in steps of 3 dB: finer changes are not worth a message to everyone. */
const STEP_DB = 3;
/** Below -40 dBov a speaker counts as silent. */
const FLOOR = 0.01;

/** Rounds a level (0..1) to the nearest 3 dB step, or 0 below the floor. */
export function coarseLevel(level: number): number {
  if (!(level >= FLOOR)) return 0;
  const db = Math.round((20 * Math.log10(Math.min(1, level))) / STEP_DB) * STEP_DB;
  return Math.round(10 ** (db / 20) * 1000) / 1000;
}

/** Keeps each speaker's loudest level since the last report. */
export function createLevelMeter() {
  const peaks = new Map<string, number>();

  return {
    record(participantId: string, level: number): void {
      const peak = peaks.get(participantId);
      if (peak === undefined || level > peak) peaks.set(participantId, level);
    },

    forget(participantId: string): void {
      peaks.delete(participantId);
    },

    /** Reports every named speaker, coarsely (0 if silent since the last report), and starts a new period. */
    take(participantIds: Iterable<string>): Record<string, number> {
      const levels: Record<string, number> = {};
      for (const participantId of participantIds) {
        levels[participantId] = coarseLevel(peaks.get(participantId) ?? 0);
      }
      peaks.clear();
      return levels;
    },
  };
}

export type LevelMeter = ReturnType<typeof createLevelMeter>;
