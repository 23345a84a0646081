import { describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift';
import { decodePipedPacket, encodePipedPacket } from './pipe-datagram.ts';

const packet = () =>
  new RtpPacket(
    new RtpHeader({
      payloadType: 111,
      marker: true,
      sequenceNumber: 65_535,
      timestamp: 0xfffffff0,
      ssrc: 0xfffffffe,
    }),
    Buffer.from('opus frame'),
  );

describe('piped packets', () => {
  it('carry the space, the publisher, its level and what is forwarded of the packet', () => {
    const datagram = encodePipedPacket({
      spaceId: 'sp✓ce',
      participantId: 'Guest:1',
      levelPayload: Buffer.of(0x9e),
      packet: packet(),
    });
    const piped = decodePipedPacket(datagram);
    expect(piped?.spaceId).toBe('sp✓ce');
    expect(piped?.participantId).toBe('Guest:1');
    expect(piped?.levelPayload).toEqual(Buffer.of(0x9e));
    expect(piped?.packet.header).toEqual({
      marker: true,
      sequenceNumber: 65_535,
      timestamp: 0xfffffff0,
      ssrc: 0xfffffffe,
    });
    expect(piped?.packet.payload.toString()).toBe('opus frame');
  });

  it('refuses truncated or empty datagrams', () => {
    const datagram = encodePipedPacket({
      spaceId: 's',
      participantId: 'p',
      levelPayload: undefined,
      packet: packet(),
    });
    expect(decodePipedPacket(datagram)?.levelPayload).toBeUndefined();
    for (const length of [0, 1, 2, 3, 4, 5, 15]) {
      expect(decodePipedPacket(datagram.subarray(0, length))).toBeUndefined();
    }
    expect(decodePipedPacket(Buffer.from([200, 1, 2, 3]))).toBeUndefined();
  });

  it('refuses ids longer than a length byte can say', () => {
    expect(() =>
      encodePipedPacket({
        spaceId: 'x'.repeat(256),
        participantId: 'p',
        levelPayload: undefined,
        packet: packet(),
      }),
    ).toThrow(RangeError);
  });
});
