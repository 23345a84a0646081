/** One inbound audio RTP stream, from `getStats()`. */
export type InboundAudioStats = {
  mid: string | null;
  trackIdentifier: string | null;
  packetsReceived: number;
  /** 0..1 as the browser reports it, null when absent. */
  audioLevel: number | null;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Picks the inbound-rtp audio entries out of an RTCStatsReport's values. */
export function readInboundAudio(reports: Iterable<unknown>): InboundAudioStats[] {
  const result: InboundAudioStats[] = [];
  for (const report of reports) {
    if (!isRecord(report) || report['type'] !== 'inbound-rtp') continue;
    // `mediaType` is the pre-2020 name of `kind`; some engines still send only that.
    if ((report['kind'] ?? report['mediaType']) !== 'audio') continue;
    const packets = report['packetsReceived'];
    const level = report['audioLevel'];
    result.push({
      mid: typeof report['mid'] === 'string' ? report['mid'] : null,
      trackIdentifier:
        typeof report['trackIdentifier'] === 'string' ? report['trackIdentifier'] : null,
      packetsReceived: typeof packets === 'number' ? packets : 0,
      audioLevel: typeof level === 'number' ? Math.min(1, Math.max(0, level)) : null,
    });
  }
  return result;
}

/** What a transport measured for one remote participant. */
export type InboundSample = {
  /** Identifies the receiving track; a change restarts the growth count. */
  trackId: string;
  packetsReceived: number;
  audioLevel: number | null;
};

export type InboundState = {
  trackId: string;
  packetsReceived: number;
  lastPacketAt: number | null;
  level: number;
};

/**
 * Tracks packet growth per key (`source:participantId`). Growth, not the counter, means audio
 * arrives: a relay slot handed to another participant keeps its counter, and a fresh stream's
 * first sample is only a baseline.
 */
export class InboundTracker {
  readonly #states = new Map<string, InboundState>();

  /** @param staleMs how long after the last growth a stream still counts as receiving */
  constructor(private readonly staleMs = 2_000) {}

  observe(key: string, sample: InboundSample, at: number): InboundState {
    const previous = this.#states.get(key);
    const sameStream =
      previous?.trackId === sample.trackId && sample.packetsReceived >= previous.packetsReceived;
    const grew = sameStream && sample.packetsReceived > previous.packetsReceived;
    const state: InboundState = {
      trackId: sample.trackId,
      packetsReceived: sample.packetsReceived,
      lastPacketAt: grew ? at : sameStream ? previous.lastPacketAt : null,
      level: sample.audioLevel ?? 0,
    };
    this.#states.set(key, state);
    return state;
  }

  get(key: string): InboundState | undefined {
    return this.#states.get(key);
  }

  receiving(key: string, now: number): boolean {
    const lastPacketAt = this.#states.get(key)?.lastPacketAt;
    return (
      lastPacketAt !== null && lastPacketAt !== undefined && now - lastPacketAt <= this.staleMs
    );
  }

  /** Drops every key not in `keep`. */
  retain(keep: ReadonlySet<string>): void {
    for (const key of this.#states.keys()) if (!keep.has(key)) this.#states.delete(key);
  }
}
