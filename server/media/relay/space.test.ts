import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { createSpace, type SpaceMember } from './space.ts';

/** A member that records what the space sends it. */
function member(participantId: string) {
  const messages: { type: string; levels?: Record<string, number> }[] = [];
  const forwarded: OutgoingRtp[] = [];
  return {
    participantId,
    slotMids: ['0', '1'],
    messages,
    forwarded,
    levelMessages: () => messages.filter((message) => message.type === 'levels'),
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

describe('createSpace levels', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function stage() {
    const space = createSpace<ReturnType<typeof member>>({
      slots: 2,
      counters: { forwardedPackets: 0, droppedPackets: 0 },
      isPublisher: (participantId) => participantId === 'ann',
    });
    const [ann, ears] = [member('ann'), member('ears')];
    space.join(ann);
    space.join(ears);
    /** The speaker talks at a RFC 6464 level (dBov) for `ms`, a packet each 20 ms. */
    const talk = (dbov: number, ms: number) => {
      for (let at = 0; at < ms; at += 20) {
        space.receive(ann, packet(), dbov, Buffer.of(dbov));
        vi.advanceTimersByTime(20);
      }
    };
    return { space, ears, talk };
  }

  it('tells listeners a level only when it changes, and nothing while the stage is silent', () => {
    const { space, ears, talk } = stage();
    talk(21, 1_000);
    // A steady voice: one message, not five a second.
    expect(ears.levelMessages()).toEqual([{ type: 'levels', levels: { ann: 0.089 } }]);
    talk(6, 400);
    expect(ears.levelMessages().at(-1)).toEqual({ type: 'levels', levels: { ann: 0.501 } });
    const beforeSilence = ears.levelMessages().length;
    vi.advanceTimersByTime(10_000);
    expect(ears.levelMessages().slice(beforeSilence)).toEqual([
      { type: 'levels', levels: { ann: 0 } },
    ]);
    expect(ears.forwarded.length).toBeGreaterThan(0);
    space.dispose();
  });

  it('gives a member whose channel opens later the current levels', () => {
    const { space, talk } = stage();
    talk(21, 400);
    const late = member('late');
    space.join(late);
    space.announceTo(late);
    expect(late.messages.map((message) => message.type)).toEqual(['slots', 'levels']);
    expect(late.levelMessages()).toEqual([{ type: 'levels', levels: { ann: 0.089 } }]);
    space.dispose();
  });
});
