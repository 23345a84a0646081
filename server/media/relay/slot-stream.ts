const OPUS_CLOCK_RATE = 48_000;
const MIN_GAP_MS = 20;
/** RFC 3550 A.1: a forward step larger than this is a restart (or garbage), not loss. */
const MAX_DROPOUT = 3_000;
/**
 * RFC 3550 A.1: a packet this far behind the newest one is late; further behind, a restart. It
 * stays inside libsrtp's replay window (128 packets), so a late packet sent is one accepted.
 */
const MAX_MISORDER = 100;
/** Output indices remembered to refuse a second use; older ones are refused outright. */
const SENT_WINDOW = 128;

/** Where one forwarded packet sits in the slot's own stream. */
export type SlotPosition = {
  /**
   * The slot's packet index (RFC 3711 §3.3.1: 2^16 × roll-over counter + sequence number), its
   * own counter: it never repeats, so no listener's SRTP key ever sees an index twice.
   */
  index: number;
  sequenceNumber: number;
  timestamp: number;
};

/**
 * One slot's outgoing stream: its sequence numbers and timestamps belong to the slot, not to
 * whoever speaks in it. A listener sees one SSRC per slot, so the numbering stays continuous
 * when the speaker changes (a jump of thousands would make its jitter buffer discard the new
 * speaker's packets), and because every listener's SRTP derives its IV from the index, the slot
 * never sends an index twice, whatever the speaker sends: duplicates and replays are dropped,
 * late packets keep their place if it is still free, and a speaker's jump or restart (RFC 3550
 * A.1: confirmed by a second packet in sequence) continues the slot's numbering after its newest
 * index instead of following the speaker there.
 */
export function createSlotStream(now: () => number = () => performance.now()) {
  let source: { participantId: string; ssrc: number } | undefined;
  /** The speaker's newest sequence number, extended: numbered from its (re)start. */
  let newest = 0;
  let indexOffset = 0;
  let timestampOffset = 0;
  /** A far jump waits for the next packet to confirm it (RFC 3550 A.1 `bad_seq`). */
  let pendingRestart: number | undefined;
  /** The slot's newest index sent, and where the current speaker's stream started. */
  let top = -1;
  let floor = 0;
  const sent = new Float64Array(SENT_WINDOW).fill(-1);
  let last: { timestamp: number; at: number } | undefined;

  /** Starts numbering the speaker afresh at `sequenceNumber`, continuing after the slot's top. */
  function restart(sequenceNumber: number, timestamp: number, at: number): void {
    newest = sequenceNumber;
    pendingRestart = undefined;
    floor = top + 1;
    indexOffset = top < 0 ? 0 : top + 1 - sequenceNumber;
    if (last) {
      const gapMs = Math.max(MIN_GAP_MS, at - last.at);
      const ticks = Math.round((gapMs * OPUS_CLOCK_RATE) / 1000);
      timestampOffset = (last.timestamp + ticks - timestamp) >>> 0;
    }
  }

  /** The speaker's extended sequence number for this packet, or undefined to drop it. */
  function extend(sequenceNumber: number, timestamp: number, at: number): number | undefined {
    const delta = (((sequenceNumber - newest) & 0xffff) << 16) >> 16;
    if (delta > 0 && delta <= MAX_DROPOUT) {
      newest += delta;
      pendingRestart = undefined;
      return newest;
    }
    if (delta <= 0 && delta >= -MAX_MISORDER) return newest + delta;
    if (sequenceNumber !== pendingRestart) {
      pendingRestart = (sequenceNumber + 1) & 0xffff;
      return undefined;
    }
    restart(sequenceNumber, timestamp, at);
    return newest;
  }

  function isFree(index: number): boolean {
    if (index < floor || index <= top - SENT_WINDOW) return false;
    return index > top || sent[index % SENT_WINDOW] !== index;
  }

  return {
    /**
     * The slot's position for a packet from `participantId`'s stream `ssrc`, or undefined when
     * the packet must not be forwarded (a duplicate, a replay, too late, an unconfirmed jump).
     */
    place(
      participantId: string,
      ssrc: number,
      sequenceNumber: number,
      timestamp: number,
    ): SlotPosition | undefined {
      const at = now();
      let extended: number | undefined;
      if (source?.participantId !== participantId || source.ssrc !== ssrc) {
        source = { participantId, ssrc };
        restart(sequenceNumber, timestamp, at);
        extended = newest;
      } else {
        extended = extend(sequenceNumber, timestamp, at);
      }
      if (extended === undefined) return undefined;
      const index = extended + indexOffset;
      if (!isFree(index)) return undefined;
      sent[index % SENT_WINDOW] = index;
      const outgoingTimestamp = (timestamp + timestampOffset) >>> 0;
      if (index > top) {
        top = index;
        last = { timestamp: outgoingTimestamp, at };
      }
      return { index, sequenceNumber: index & 0xffff, timestamp: outgoingTimestamp };
    },
  };
}

export type SlotStream = ReturnType<typeof createSlotStream>;
