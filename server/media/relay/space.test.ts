import { describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { createSpace, type SpaceMember } from './space.ts';

/** A member that records what the space sends it. */
function member(participantId: string, slotMids = ['1', '2']) {
  const messages: { type: string; slots?: unknown[] }[] = [];
  const forwarded: OutgoingRtp[] = [];
  const seatsNeeded: number[] = [];
  return {
    participantId,
    slotMids,
    messages,
    forwarded,
    seatsNeeded,
    needSlots(seats: number) {
      seatsNeeded.push(seats);
    },
    forward(_slot: number, packet: OutgoingRtp) {
      forwarded.push(packet);
      return true;
    },
    credit() {},
    send(message: string) {
      messages.push(JSON.parse(message));
    },
  } satisfies SpaceMember & Record<string, unknown>;
}

let sequenceNumber = 0;
const packet = () =>
  new RtpPacket(
    new RtpHeader({ sequenceNumber: sequenceNumber++, timestamp: sequenceNumber * 960, ssrc: 1 }),
    Buffer.alloc(80),
  );

describe('createSpace', () => {
  it("carries the speaker's audio level in each copy, and sends no level messages on the channel", () => {
    const space = createSpace<ReturnType<typeof member>>({
      slots: 2,
      counters: { forwardedPackets: 0, droppedPackets: 0 },
      isPublisher: (participantId) => participantId === 'ann',
    });
    const [ann, ears] = [member('ann'), member('ears')];
    space.join(ann);
    space.join(ears);
    for (const dbov of [21, 21, 6]) space.receive(ann, packet(), Buffer.of(0x80 | dbov));
    expect(ears.forwarded.map((copy) => copy.levelPayload?.[0])).toEqual([0x95, 0x95, 0x86]);
    expect(ears.messages.map((message) => message.type)).toEqual(['slots']);
    expect(ann.forwarded).toEqual([]);
  });

  it('asks members to cover a seat beyond their sections, and announces it only to those who do', () => {
    const space = createSpace<ReturnType<typeof member>>({
      slots: 3,
      counters: { forwardedPackets: 0, droppedPackets: 0 },
      isPublisher: (participantId) => participantId === 'ann' || participantId === 'bob',
    });
    const [ann, bob, few, many] = [
      member('ann'),
      member('bob'),
      member('few', ['1']),
      member('many', ['1', '2', '4']),
    ];
    for (const one of [ann, bob, few, many]) space.join(one);
    space.receive(ann, packet(), undefined);
    expect(few.seatsNeeded).toEqual([1]);
    space.receive(bob, packet(), undefined);
    expect(few.seatsNeeded).toEqual([1, 2]);
    expect(few.messages.at(-1)?.slots).toEqual([{ slot: 0, mid: '1', participantId: 'ann' }]);
    expect(many.messages.at(-1)?.slots).toEqual([
      { slot: 0, mid: '1', participantId: 'ann' },
      { slot: 1, mid: '2', participantId: 'bob' },
    ]);
  });

  it('asks members for one seat per publisher when the stage grows', () => {
    const space = createSpace<ReturnType<typeof member>>({
      slots: 13,
      counters: { forwardedPackets: 0, droppedPackets: 0 },
      isPublisher: () => true,
    });
    const ears = member('ears');
    space.join(ears);
    space.restrictTo(new Set(['a', 'b', 'c', 'd']));
    expect(ears.seatsNeeded).toEqual([4]);
    expect(space.seatsInUse(2)).toBe(2);
  });
});
