import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RtpPacket,
} from 'werift';
import { sessions } from '../../../tests/helpers/srtp-sessions.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { protectRtp } from './srtp-protect.ts';

const packet = (sequenceNumber: number, levelPayload?: Buffer): OutgoingRtp => ({
  marker: sequenceNumber === 65_534,
  sequenceNumber,
  rolloverCounter: 0,
  timestamp: (4_294_967_000 + sequenceNumber * 960) % 2 ** 32,
  payload: randomBytes(83),
  levelPayload,
  arrivedAt: 0,
  nativeBatch: { senders: [], count: 0 },
});

describe.each([
  ['AEAD_AES_128_GCM', ProtectionProfileAeadAes128Gcm],
  ['AES_CM_128_HMAC_SHA1_80', ProtectionProfileAes128CmHmacSha1_80],
] as const)('protectRtp with %s', (_name, profile) => {
  it('produces packets the listener’s SRTP session decrypts, across a sequence wrap', () => {
    const { context, listener } = sessions(profile);
    for (const sequenceNumber of [65_534, 65_535, 0, 1]) {
      const sent = packet(sequenceNumber, Buffer.of(0x85));
      const rolloverCounter = sequenceNumber < 2 ? 1 : 0;
      const datagram = Buffer.concat(
        protectRtp(context, sent, 111, 0x1234_5678, 3, rolloverCounter),
      );
      const received = RtpPacket.deSerialize(listener.decrypt(datagram));
      expect(received.header).toMatchObject({
        marker: sent.marker,
        payloadType: 111,
        sequenceNumber,
        timestamp: sent.timestamp,
        ssrc: 0x1234_5678,
        extensions: [{ id: 3, payload: Buffer.of(0x85) }],
      });
      expect(received.payload).toEqual(sent.payload);
    }
  });

  it('leaves the extension out when the listener did not negotiate the level', () => {
    const { context, listener } = sessions(profile);
    const datagram = Buffer.concat(
      protectRtp(context, packet(9, Buffer.of(0x85)), 111, 7, undefined, 0),
    );
    const received = RtpPacket.deSerialize(listener.decrypt(datagram));
    expect(received.header.extension).toBe(false);
    expect(received.header.extensions).toEqual([]);
  });

  it('authenticates the header: a changed byte is rejected', () => {
    const { context, listener } = sessions(profile);
    const datagram = Buffer.concat(protectRtp(context, packet(9), 111, 7, undefined, 0));
    datagram[1] = (datagram[1] ?? 0) ^ 0x01;
    expect(() => listener.decrypt(datagram)).toThrow();
  });
});
