const OPUS_CLOCK_RATE = 48_000;
const MIN_GAP_MS = 20;

/** The parts of an RTP header a slot rewrites. */
export type StreamPosition = { sequenceNumber: number; timestamp: number };

/**
 * Keeps one slot's outgoing sequence numbers and timestamps continuous when the speaker behind it
 * changes: a listener sees one SSRC per slot, and a jump of thousands in either field would make
 * its jitter buffer discard the new speaker's packets as late or far-future.
 */
export function createSlotStream(now: () => number = () => performance.now()) {
  let source: { participantId: string; ssrc: number } | undefined;
  let sequenceOffset = 0;
  let timestampOffset = 0;
  let last: (StreamPosition & { at: number }) | undefined;

  return {
    /** Rewrites `header` in place for the slot; the source is the incoming participant and SSRC. */
    rewrite(participantId: string, ssrc: number, header: StreamPosition): void {
      const at = now();
      if (source?.participantId !== participantId || source.ssrc !== ssrc) {
        source = { participantId, ssrc };
        if (last) {
          const gapMs = Math.max(MIN_GAP_MS, at - last.at);
          const ticks = Math.round((gapMs * OPUS_CLOCK_RATE) / 1000);
          sequenceOffset = (last.sequenceNumber + 1 - header.sequenceNumber) & 0xffff;
          timestampOffset = (last.timestamp + ticks - header.timestamp) >>> 0;
        }
      }
      header.sequenceNumber = (header.sequenceNumber + sequenceOffset) & 0xffff;
      header.timestamp = (header.timestamp + timestampOffset) >>> 0;
      // A reordered (older) packet must not pull the continuation point backwards.
      if (last && ((header.sequenceNumber - last.sequenceNumber) & 0xffff) >= 0x8000) return;
      last = { sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, at };
    },
  };
}

export type SlotStream = ReturnType<typeof createSlotStream>;
