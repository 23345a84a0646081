import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RtpPacket,
} from 'werift';
import {
  createNativeBatch,
  NATIVE_PROFILES,
  nativeSrtp,
  nativeSrtpProblem,
  sendNativeBatch,
  udpDescriptor,
  udpHandle,
} from './native-srtp.ts';
import { AES_CM_128_HMAC_SHA1_80, type SrtpContext } from './srtp-protect.ts';
import { sessions } from './srtp-test-sessions.ts';
import { udpSocketsPerTest } from './udp-test-sockets.ts';

const boundSocket = udpSocketsPerTest();

/** A native sender for `context` on a socket of its own towards another; and what arrives there. */
async function link(context: SrtpContext, stream: { ssrc: number; levelId: number }) {
  if (!nativeSrtp) throw new Error(`no native sender: ${nativeSrtpProblem}`);
  const from = await boundSocket();
  const to = await boundSocket();
  const received: Buffer[] = [];
  to.on('message', (datagram) => received.push(datagram));
  const fd = udpDescriptor(udpHandle(from));
  if (fd === undefined) throw new Error('Node no longer exposes the socket descriptor');
  const sender = nativeSrtp.createSender(
    fd,
    '127.0.0.1',
    to.address().port,
    context.profile,
    context.srtpSessionKey,
    context.srtpSessionSalt,
    context.profile === AES_CM_128_HMAC_SHA1_80 ? context.srtpSessionAuthTag : null,
    stream.ssrc,
    111,
    stream.levelId,
    0,
    0,
    false,
  );
  const arrived = async (count: number) => {
    while (received.length < count) await once(to, 'message');
    return received;
  };
  return { sender, arrived };
}

const packet = (sequenceNumber: number, marker = false) => ({
  marker,
  sequenceNumber,
  timestamp: (4_294_967_000 + sequenceNumber * 960) % 2 ** 32,
  payload: randomBytes(83),
  levelPayload: Buffer.of(0x85),
});

describe('the native SRTP sender', () => {
  it('is built where it is required (CI), so the relay there forwards natively', () => {
    if (process.env['AMPHI_REQUIRE_NATIVE_SRTP']) expect(nativeSrtpProblem).toBeUndefined();
    expect(nativeSrtp !== undefined || nativeSrtpProblem !== undefined).toBe(true);
  });

  describe.runIf(nativeSrtp).each([
    ['AEAD_AES_128_GCM', ProtectionProfileAeadAes128Gcm],
    ['AES_CM_128_HMAC_SHA1_80', ProtectionProfileAes128CmHmacSha1_80],
  ] as const)('with %s', (_name, profile) => {
    it('sends each packet of a batch to every listener, decryptable across a sequence wrap', async () => {
      const first = sessions(profile);
      const second = sessions(profile);
      const withLevel = await link(first.context, { ssrc: 0x1234_5678, levelId: 3 });
      const withoutLevel = await link(second.context, { ssrc: 42, levelId: 0 });
      const batch = createNativeBatch();
      const sent = [65_534, 65_535, 0, 1].map((sequenceNumber) => packet(sequenceNumber, true));
      for (const outgoing of sent) {
        batch.senders[batch.count++] = withLevel.sender;
        batch.senders[batch.count++] = withoutLevel.sender;
        sendNativeBatch(batch, outgoing);
        expect(batch.count).toBe(0);
      }

      for (const [listener, arrived, ssrc, extensions] of [
        [first.listener, withLevel.arrived, 0x1234_5678, [{ id: 3, payload: Buffer.of(0x85) }]],
        [second.listener, withoutLevel.arrived, 42, []],
      ] as const) {
        const datagrams = await arrived(sent.length);
        datagrams.forEach((datagram, index) => {
          const received = RtpPacket.deSerialize(listener.decrypt(datagram));
          expect(received.header).toMatchObject({
            marker: true,
            payloadType: 111,
            sequenceNumber: sent[index]?.sequenceNumber,
            timestamp: sent[index]?.timestamp,
            ssrc,
            extensions,
          });
          expect(received.payload).toEqual(sent[index]?.payload);
        });
      }
    });

    it('hands back the roll-over state werift would have reached', async () => {
      const { context } = sessions(profile);
      const { sender } = await link(context, { ssrc: 7, levelId: 0 });
      const werift = context.getSrtpSsrcState(7);
      const batch = createNativeBatch();
      for (const sequenceNumber of [65_530, 65_535, 0, 3]) {
        batch.senders[batch.count++] = sender;
        sendNativeBatch(batch, packet(sequenceNumber));
        context.updateRolloverCount(sequenceNumber, werift);
      }
      expect(werift.rolloverCounter).toBe(1);
      expect(nativeSrtp?.rollover(sender)).toEqual([
        werift.rolloverCounter,
        werift.lastSequenceNumber,
        true,
      ]);
    });

    it('authenticates the header: a changed byte is rejected by the listener', async () => {
      const { context, listener } = sessions(profile);
      const { sender, arrived } = await link(context, { ssrc: 7, levelId: 0 });
      const batch = createNativeBatch();
      batch.senders[batch.count++] = sender;
      sendNativeBatch(batch, packet(9));
      const [datagram] = await arrived(1);
      datagram![1] = (datagram![1] ?? 0) ^ 0x01;
      expect(() => listener.decrypt(datagram!)).toThrow();
    });
  });

  it.runIf(nativeSrtp)('refuses keys of the wrong size and unknown profiles', async () => {
    const socket = await boundSocket();
    const fd = udpDescriptor(udpHandle(socket)) ?? -1;
    const create = (profile: number, key: Buffer, address = '127.0.0.1') =>
      nativeSrtp?.createSender(
        fd,
        address,
        9,
        profile,
        key,
        randomBytes(14),
        randomBytes(20),
        7,
        111,
        0,
        0,
        0,
        false,
      );
    expect(() => create(NATIVE_PROFILES.aeadAes128Gcm, randomBytes(15))).toThrow(/16 bytes/);
    expect(() => create(42, randomBytes(16))).toThrow(/unsupported/);
    expect(() => create(NATIVE_PROFILES.plain, randomBytes(16), 'example.org')).toThrow(
      /not an IP address/,
    );
  });

  it('finds no descriptor on a closed socket, so nothing is written to a reused one', async () => {
    const socket = await boundSocket();
    expect(udpDescriptor(udpHandle(socket))).toBeGreaterThan(2);
    socket.close();
    expect(udpHandle(socket)).toBeUndefined();
  });
});
