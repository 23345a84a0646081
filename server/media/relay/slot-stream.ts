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
/**
 * The stream's numbers, in one Float64Array that the addon also reads and writes: a piped
 * packet that simply continues its speaker's stream is numbered natively (pipe_route.c), and
 * both paths must number from the same state. Its layout is the addon's (SLOT_* there).
 */
export const SlotState = {
  /** Bumped whenever the slot's speaker (participant or SSRC) changes. */
  sourceTag: 0,
  ssrc: 1,
  /** The speaker's newest sequence number, extended: numbered from its (re)start. */
  newest: 2,
  indexOffset: 3,
  timestampOffset: 4,
  /** A far jump waits for the next packet to confirm it (RFC 3550 A.1 `bad_seq`); -1: none. */
  pendingRestart: 5,
  /** The slot's newest index sent, and where the current speaker's stream started. */
  top: 6,
  floor: 7,
  /** The newest packet's outgoing timestamp and when it was placed (`now()`); NaN: none yet. */
  lastTimestamp: 8,
  lastAt: 9,
  length: 10,
} as const;

export function createSlotStream(now: () => number = () => performance.now()) {
  let participant: string | undefined;
  // Their own ArrayBuffers: a small typed array may live inside V8's heap, which moves it.
  const state = new Float64Array(new ArrayBuffer(SlotState.length * 8));
  state[SlotState.pendingRestart] = -1;
  state[SlotState.top] = -1;
  state[SlotState.lastTimestamp] = Number.NaN;
  /** Output indices sent, by index modulo SENT_WINDOW, to refuse a second use. */
  const sent = new Float64Array(new ArrayBuffer(SENT_WINDOW * 8)).fill(-1);

  /** Starts numbering the speaker afresh at `sequenceNumber`, continuing after the slot's top. */
  function restart(sequenceNumber: number, timestamp: number, at: number): void {
    const top = state[SlotState.top]!;
    state[SlotState.newest] = sequenceNumber;
    state[SlotState.pendingRestart] = -1;
    state[SlotState.floor] = top + 1;
    state[SlotState.indexOffset] = top < 0 ? 0 : top + 1 - sequenceNumber;
    const lastTimestamp = state[SlotState.lastTimestamp]!;
    if (!Number.isNaN(lastTimestamp)) {
      const gapMs = Math.max(MIN_GAP_MS, at - state[SlotState.lastAt]!);
      const ticks = Math.round((gapMs * OPUS_CLOCK_RATE) / 1000);
      state[SlotState.timestampOffset] = (lastTimestamp + ticks - timestamp) >>> 0;
    }
  }

  /** The speaker's extended sequence number for this packet, or undefined to drop it. */
  function extend(sequenceNumber: number, timestamp: number, at: number): number | undefined {
    const newest = state[SlotState.newest]!;
    const delta = (((sequenceNumber - newest) & 0xffff) << 16) >> 16;
    if (delta > 0 && delta <= MAX_DROPOUT) {
      state[SlotState.newest] = newest + delta;
      state[SlotState.pendingRestart] = -1;
      return newest + delta;
    }
    if (delta <= 0 && delta >= -MAX_MISORDER) return newest + delta;
    if (sequenceNumber !== state[SlotState.pendingRestart]) {
      state[SlotState.pendingRestart] = (sequenceNumber + 1) & 0xffff;
      return undefined;
    }
    restart(sequenceNumber, timestamp, at);
    return state[SlotState.newest]!;
  }

  function isFree(index: number): boolean {
    const top = state[SlotState.top]!;
    if (index < state[SlotState.floor]! || index <= top - SENT_WINDOW) return false;
    return index > top || sent[index % SENT_WINDOW] !== index;
  }

  return {
    /** The stream's numbers and the indices sent, for the addon (see SlotState). */
    state,
    sent,

    /** Whose packets the stream numbers now. */
    get participantId(): string | undefined {
      return participant;
    },

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
      if (participant !== participantId || state[SlotState.ssrc] !== ssrc) {
        participant = participantId;
        state[SlotState.ssrc] = ssrc;
        state[SlotState.sourceTag]!++;
        restart(sequenceNumber, timestamp, at);
        extended = sequenceNumber;
      } else {
        extended = extend(sequenceNumber, timestamp, at);
      }
      if (extended === undefined) return undefined;
      const index = extended + state[SlotState.indexOffset]!;
      if (!isFree(index)) return undefined;
      sent[index % SENT_WINDOW] = index;
      const outgoingTimestamp = (timestamp + state[SlotState.timestampOffset]!) >>> 0;
      if (index > state[SlotState.top]!) {
        state[SlotState.top] = index;
        state[SlotState.lastTimestamp] = outgoingTimestamp;
        state[SlotState.lastAt] = at;
      }
      return { index, sequenceNumber: index & 0xffff, timestamp: outgoingTimestamp };
    },
  };
}

export type SlotStream = ReturnType<typeof createSlotStream>;
