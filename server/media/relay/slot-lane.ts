import {
  createNativeBatch,
  type NativeSenderList,
  type NativeSrtpSender,
  nativeSrtp,
  sendNativeBatch,
} from './native-srtp.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';

/** What a lane needs of a member: forwarding with every check, and crediting what it skipped. */
export type LaneMember = {
  forward(slot: number, packet: OutgoingRtp): boolean;
  /**
   * Packets the lane sent this member natively since the last walk, and the last one's RTP
   * timestamp and arrival (ms since the Unix epoch), for its sender reports.
   */
  credit(slot: number, packets: number, octets: number, timestamp: number, arrivedAt: number): void;
};

/**
 * The lane's numbers, in one Float64Array that the addon also reads and writes: between walks,
 * a piped packet may be sent to the lane's native senders without JavaScript (pipe_route.c).
 * Its layout is the addon's (LANE_* there).
 */
const LaneState = {
  /** Packets until the next full walk; 0: the next packet walks. */
  packetsLeft: 0,
  /** Packets sent natively since the last walk, their payload octets, and the last one's. */
  skipped: 1,
  skippedOctets: 2,
  lastTimestamp: 3,
  lastArrivedAt: 4,
  /** Copies the addon sent on its own, not yet counted in the relay's counters. */
  forwarded: 5,
  /** 1 while the addon may send the walked publisher's piped packets itself. */
  pipedArmed: 6,
  length: 7,
} as const;

/** What the addon needs to send a lane's packets itself: its numbers and its native senders. */
export type LaneRoute = { state: Float64Array; senders: NativeSenderList };

/** Packets between full walks of a slot's members (25: half a second of Opus). */
const WALK_EVERY = 25;

/**
 * The members one slot's packets go to. Every WALK_EVERY packets, and at once when members
 * leave or the slot changes hands, a packet walks every member with all of its checks (session
 * state, SRTP session, selected pair, consent, socket); the members whose copies went to the
 * native sender then take the following packets in one native call, without touching their
 * JavaScript objects: with thousands of listeners, walking those objects for every copy cost
 * more than the copy itself (memory latency, not computation).
 */
export function createSlotLane<Member extends LaneMember>(slot: number) {
  const batch = createNativeBatch();
  // Its own ArrayBuffer: a small typed array may live inside V8's heap, which moves it.
  const state = new Float64Array(new ArrayBuffer(LaneState.length * 8));
  let fastSenders: NativeSrtpSender[] = [];
  /** `fastSenders` as the addon reads them: made again once they change. */
  let senderList: NativeSenderList | undefined;
  let fastMembers: Member[] = [];
  /** Members not sent natively (connecting, or on the JavaScript path): checked every packet. */
  let others: Member[] = [];
  let walkedFor: Member | undefined;

  function creditSkipped(): void {
    const skipped = state[LaneState.skipped]!;
    if (skipped > 0) {
      const octets = state[LaneState.skippedOctets]!;
      const timestamp = state[LaneState.lastTimestamp]!;
      const arrivedAt = state[LaneState.lastArrivedAt]!;
      for (const member of fastMembers) member.credit(slot, skipped, octets, timestamp, arrivedAt);
    }
    state[LaneState.skipped] = 0;
    state[LaneState.skippedOctets] = 0;
  }

  function walk(packet: OutgoingRtp, members: Iterable<Member>, from: Member): number {
    state[LaneState.pipedArmed] = 0;
    creditSkipped();
    fastSenders = [];
    senderList = undefined;
    fastMembers = [];
    others = [];
    let sent = 0;
    for (const member of members) {
      if (member === from) continue;
      const batched = batch.count;
      const handled = member.forward(slot, packet);
      if (batch.count > batched) {
        fastSenders.push(batch.senders[batched] as NativeSrtpSender);
        fastMembers.push(member);
      } else {
        others.push(member);
        if (handled) sent++;
      }
    }
    walkedFor = from;
    state[LaneState.packetsLeft] = WALK_EVERY;
    return sent + sendNativeBatch(batch, packet);
  }

  return {
    /** The batch the packets of this slot carry (`OutgoingRtp.nativeBatch`). */
    batch,

    /** Makes the next packet walk every member (someone left, or the members changed). */
    invalidate(): void {
      state[LaneState.packetsLeft] = 0;
      state[LaneState.pipedArmed] = 0;
    },

    /**
     * Adds a member who joined: checked at every packet until it can be sent natively, then sent
     * with the others; the members already sent natively are not walked for it.
     */
    admit(member: Member): void {
      if (state[LaneState.packetsLeft]! > 0 && !others.includes(member)) {
        state[LaneState.pipedArmed] = 0;
        others.push(member);
      }
    },

    /**
     * Lets the addon send `from`'s next packets itself, until the next walk or change: only while
     * every member this lane reaches is sent natively, walked for `from`.
     */
    routeFor(from: Member): LaneRoute | undefined {
      if (!nativeSrtp || from !== walkedFor || others.length > 0) return undefined;
      if (state[LaneState.packetsLeft]! <= 0) return undefined;
      state[LaneState.pipedArmed] = 1;
      senderList ??= nativeSrtp.senderList(fastSenders);
      return { state, senders: senderList };
    },

    /** Copies the addon sent on its own since the last call. */
    takeForwarded(): number {
      const forwarded = state[LaneState.forwarded]!;
      state[LaneState.forwarded] = 0;
      return forwarded;
    },

    /** Sends `packet` to every member but `from`; returns the copies sent. */
    send(packet: OutgoingRtp, members: Iterable<Member>, from: Member): number {
      if (state[LaneState.packetsLeft]! <= 0 || from !== walkedFor || !nativeSrtp) {
        return walk(packet, members, from);
      }
      state[LaneState.packetsLeft]!--;
      senderList ??= nativeSrtp.senderList(fastSenders);
      let sent = nativeSrtp.sendBatch(
        senderList,
        fastSenders.length,
        packet.marker,
        packet.sequenceNumber,
        packet.rolloverCounter,
        packet.timestamp,
        packet.payload,
        packet.levelPayload,
      );
      state[LaneState.skipped]!++;
      state[LaneState.skippedOctets]! += packet.payload.length;
      state[LaneState.lastTimestamp] = packet.timestamp;
      state[LaneState.lastArrivedAt] = packet.arrivedAt;
      for (let index = 0; index < others.length; index++) {
        const member = others[index] as Member;
        const batched = batch.count;
        if (member.forward(slot, packet) && batch.count === batched) sent++;
        if (batch.count > batched) {
          // Ready now: it joins the native senders from the next packet, without a walk of
          // everyone (which at thousands of listeners delays this packet for all of them).
          creditSkipped();
          state[LaneState.pipedArmed] = 0;
          senderList = undefined;
          fastSenders.push(batch.senders[batched] as NativeSrtpSender);
          fastMembers.push(member);
          others.splice(index--, 1);
        }
      }
      return sent + sendNativeBatch(batch, packet);
    },
  };
}

export type SlotLane<Member extends LaneMember> = ReturnType<typeof createSlotLane<Member>>;
