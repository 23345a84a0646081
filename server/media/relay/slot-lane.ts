import {
  createNativeBatch,
  type NativeSrtpSender,
  nativeSrtp,
  sendNativeBatch,
} from './native-srtp.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';

/** What a lane needs of a member: forwarding with every check, and crediting what it skipped. */
export type LaneMember = {
  forward(slot: number, packet: OutgoingRtp): boolean;
  /** Packets the lane sent this member natively since the last walk, for its sender reports. */
  credit(slot: number, packets: number, octets: number, last: OutgoingRtp): void;
};

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
  let fastSenders: NativeSrtpSender[] = [];
  let fastMembers: Member[] = [];
  /** Members not sent natively (connecting, or on the JavaScript path): checked every packet. */
  let others: Member[] = [];
  let walkedFor: Member | undefined;
  let packetsLeft = 0;
  let skipped = 0;
  let skippedOctets = 0;
  let last: OutgoingRtp | undefined;

  function creditSkipped(): void {
    if (skipped > 0 && last) {
      for (const member of fastMembers) member.credit(slot, skipped, skippedOctets, last);
    }
    skipped = 0;
    skippedOctets = 0;
  }

  function walk(packet: OutgoingRtp, members: Iterable<Member>, from: Member): number {
    creditSkipped();
    fastSenders = [];
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
    packetsLeft = WALK_EVERY;
    return sent + sendNativeBatch(batch, packet);
  }

  return {
    /** The batch the packets of this slot carry (`OutgoingRtp.nativeBatch`). */
    batch,

    /** Makes the next packet walk every member (someone left, or the members changed). */
    invalidate(): void {
      packetsLeft = 0;
    },

    /**
     * Adds a member who joined: checked at every packet until it can be sent natively, then sent
     * with the others; the members already sent natively are not walked for it.
     */
    admit(member: Member): void {
      if (packetsLeft > 0 && !others.includes(member)) others.push(member);
    },

    /** Sends `packet` to every member but `from`; returns the copies sent. */
    send(packet: OutgoingRtp, members: Iterable<Member>, from: Member): number {
      if (packetsLeft <= 0 || from !== walkedFor || !nativeSrtp) {
        return walk(packet, members, from);
      }
      packetsLeft--;
      let sent = nativeSrtp.sendBatch(
        fastSenders,
        fastSenders.length,
        packet.marker,
        packet.sequenceNumber,
        packet.rolloverCounter,
        packet.timestamp,
        packet.payload,
        packet.levelPayload,
      );
      skipped++;
      skippedOctets += packet.payload.length;
      last = packet;
      for (let index = 0; index < others.length; index++) {
        const member = others[index] as Member;
        const batched = batch.count;
        if (member.forward(slot, packet) && batch.count === batched) sent++;
        if (batch.count > batched) {
          // Ready now: it joins the native senders from the next packet, without a walk of
          // everyone (which at thousands of listeners delays this packet for all of them).
          creditSkipped();
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
