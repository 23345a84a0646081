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
 * The members one slot's packets go to. Every WALK_EVERY packets, and at once when members come
 * or go or the slot changes hands, a packet walks every member with all of its checks (session
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

    /** Makes the next packet walk every member (someone joined or left). */
    invalidate(): void {
      packetsLeft = 0;
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
      for (const member of others) {
        const batched = batch.count;
        if (member.forward(slot, packet) && batch.count === batched) sent++;
        // A member that became ready joins the native senders at the next packet.
        if (batch.count > batched) packetsLeft = 0;
      }
      return sent + sendNativeBatch(batch, packet);
    },
  };
}

export type SlotLane<Member extends LaneMember> = ReturnType<typeof createSlotLane<Member>>;
