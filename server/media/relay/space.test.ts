import { describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { createSpace, type SpaceMember } from './space.ts';

/** A member that records what the space sends it. */
function member(participantId: string) {
  const messages: { type: string }[] = [];
  const forwarded: OutgoingRtp[] = [];
  return {
    participantId,
    slotMids: ['0', '1'],
    messages,
    forwarded,
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
});
