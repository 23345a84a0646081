import type { ForwardedRtp } from './forwarded-rtp.ts';
import { wallClockMs } from './ntp-timestamp.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { encodeRelayMessage } from './relay-messages.ts';
import { createSlotLane, type LaneMember, type LaneRoute } from './slot-lane.ts';
import { createSlotStream, SlotState } from './slot-stream.ts';
import { createSlotTable } from './slot-table.ts';

/** What a space needs of a session. */
export type SpaceMember = LaneMember & {
  readonly participantId: string;
  /** The member's transceiver mid by slot, for the slot sections it has answered. */
  readonly slotMids: readonly string[];
  send(message: string): void;
  /** Slots up to `seats - 1` may carry someone: the member should have sections for them. */
  needSlots(seats: number): void;
};

/**
 * What the addon needs to forward a piped publisher's next packets itself (pipe_route.c): the
 * slot's lane and stream, and the stream's source tag while it numbers that publisher.
 */
export type PipedRoute = {
  lane: LaneRoute;
  stream: { state: Float64Array; sent: Float64Array };
  sourceTag: number;
};

/** Packet counters shared by every space of a relay. */
export type PacketCounters = { forwardedPackets: number; droppedPackets: number };

export type SpaceOptions = {
  slots: number;
  counters: PacketCounters;
  isPublisher(participantId: string): boolean;
  /** Sees each publisher packet that is forwarded, as the publisher sent it, and its level. */
  onForward?(participantId: string, packet: ForwardedRtp, levelPayload: Buffer | undefined): void;
};

/**
 * The live state of one space: its members, who sits in which slot, and the forwarding of each
 * publisher's packets to everyone else on that slot.
 */
export function createSpace<Member extends SpaceMember>(options: SpaceOptions) {
  const { counters } = options;
  const members = new Map<string, Member>();
  const table = createSlotTable(options.slots);
  const streams = Array.from({ length: options.slots }, () => createSlotStream());
  const lanes = Array.from({ length: options.slots }, (_, slot) => createSlotLane<Member>(slot));

  /** Slots beyond a member's sections are left out: it cannot hear them until it answers more. */
  function slotsMessage(member: SpaceMember): string {
    const slots = table.holders().flatMap(({ slot, participantId }) => {
      const mid = member.slotMids[slot];
      return mid === undefined ? [] : [{ slot, mid, participantId }];
    });
    return encodeRelayMessage({ type: 'slots', slots });
  }

  /** Slots that may be in use: one per publisher, and at least up to the highest seat held. */
  function seatsInUse(publishers: number): number {
    const highest = Math.max(-1, ...table.holders().map(({ slot }) => slot));
    return Math.min(options.slots, Math.max(publishers, highest + 1));
  }

  function needSlots(seats: number): void {
    for (const member of members.values()) member.needSlots(seats);
  }

  function announce(): void {
    for (const member of members.values()) member.send(slotsMessage(member));
  }

  /** Makes each slot's next packet walk its members, and stops what the addon forwards alone. */
  function invalidate(): void {
    for (const lane of lanes) lane.invalidate();
  }

  function unseat(participantIds: readonly string[]): void {
    if (participantIds.length === 0) return;
    announce();
  }

  return {
    /** Adds a member, taking the place of any earlier one of the same participant. */
    join(member: Member): void {
      const previous = members.get(member.participantId);
      members.set(member.participantId, member);
      for (const lane of lanes) {
        if (previous) lane.invalidate();
        else lane.admit(member);
      }
    },

    /** The participant's current member, if any. */
    member(participantId: string): Member | undefined {
      return members.get(participantId);
    },

    /** Removes a member (if it is still the participant's current one) and frees its slot. */
    leave(member: Member): void {
      if (members.get(member.participantId) !== member) return;
      members.delete(member.participantId);
      for (const lane of lanes) lane.invalidate();
      if (table.release(member.participantId)) unseat([member.participantId]);
    },

    /** The current slots as one member's `slots` message (its mids), e.g. for its offer. */
    slotsMessage(member: Member): string {
      return slotsMessage(member);
    },

    /** Sends the current slots to one member, e.g. when its data channel opens. */
    announceTo(member: Member): void {
      member.send(slotsMessage(member));
    },

    /** How many slots a member joining now should have sections for, `publishers` being on stage. */
    seatsInUse,

    /**
     * Frees the slots of everyone who may no longer publish, and has members renegotiate sections
     * for new publishers before their first packet.
     */
    restrictTo(publishers: ReadonlySet<string>): void {
      invalidate();
      unseat(table.keepOnly(publishers));
      needSlots(seatsInUse(publishers.size));
    },

    /**
     * Forwards a microphone packet to every other member, if its sender may be heard. Its audio
     * level (RFC 6464) goes with each copy, where browsers read it (getSynchronizationSources):
     * levels sent apart, over every listener's data channel, cost about as much as the copies.
     */
    receive(from: Member, packet: ForwardedRtp, levelPayload: Buffer | undefined): void {
      const { participantId } = from;
      if (members.get(participantId) !== from || !options.isPublisher(participantId)) {
        counters.droppedPackets++;
        return;
      }
      const seat = table.acquire(participantId);
      if (!seat) {
        counters.droppedPackets++;
        return;
      }
      if (seat.seated) {
        needSlots(seat.slot + 1);
        announce();
      }
      const { header } = packet;
      const position = streams[seat.slot]!.place(
        participantId,
        header.ssrc,
        header.sequenceNumber,
        header.timestamp,
      );
      // A repeat, a replay or an unconfirmed jump: the slot's stream has no index for it.
      if (!position) {
        counters.droppedPackets++;
        return;
      }
      options.onForward?.(participantId, packet, levelPayload);
      const lane = lanes[seat.slot]!;
      const outgoing: OutgoingRtp = {
        marker: header.marker,
        sequenceNumber: position.sequenceNumber,
        rolloverCounter: Math.floor(position.index / 0x10000),
        timestamp: position.timestamp,
        payload: packet.payload,
        levelPayload,
        arrivedAt: wallClockMs(),
        nativeBatch: lane.batch,
      };
      counters.forwardedPackets += lane.send(outgoing, members.values(), from);
    },

    /**
     * Lets the addon forward `from`'s next packets itself, as `receive` would, while nothing
     * changes: undefined unless `from` is seated and its last packet went to every member
     * natively. Any change to the members, the seats or the publishers ends it.
     */
    routeFor(from: Member): PipedRoute | undefined {
      const { participantId } = from;
      if (members.get(participantId) !== from || !options.isPublisher(participantId)) return;
      const slot = table.slotOf(participantId);
      if (slot === undefined) return;
      const stream = streams[slot]!;
      if (stream.participantId !== participantId) return;
      const lane = lanes[slot]!.routeFor(from);
      if (!lane) return;
      const { state, sent } = stream;
      return { lane, stream: { state, sent }, sourceTag: state[SlotState.sourceTag]! };
    },

    /** Something every packet must pass changed (a tap): no packet may take a shortcut now. */
    invalidate,

    /** Copies the addon forwarded on its own since the last call, into the counters. */
    countForwarded(): void {
      for (const lane of lanes) counters.forwardedPackets += lane.takeForwarded();
    },

    get isEmpty(): boolean {
      return members.size === 0;
    },

    members(): Member[] {
      return [...members.values()];
    },
  };
}

export type Space<Member extends SpaceMember> = ReturnType<typeof createSpace<Member>>;
