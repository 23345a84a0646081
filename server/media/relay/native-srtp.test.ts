import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RtpPacket,
} from 'werift';
import { sessions } from '../../../tests/helpers/srtp-sessions.ts';
import { udpSocketsPerTest } from '../../../tests/helpers/udp-sockets.ts';
import {
  createNativeBatch,
  NATIVE_PROFILES,
  type NativeSenderList,
  nativeSrtp,
  nativeSrtpProblem,
  sendNativeBatch,
  udpDescriptor,
  udpHandle,
} from './native-srtp.ts';
import { AES_CM_128_HMAC_SHA1_80, type SrtpContext } from './srtp-protect.ts';

const boundSocket = udpSocketsPerTest();

/** A native sender for `context` on a socket of its own towards another; and what arrives there. */
async function link(
  context: SrtpContext,
  stream: { ssrc: number; levelId: number; rolloverBase?: number },
) {
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
    stream.rolloverBase ?? 0,
  );
  const arrived = async (count: number) => {
    while (received.length < count) await once(to, 'message');
    return received;
  };
  return { sender, arrived };
}

const packet = (sequenceNumber: number, marker = false, rolloverCounter = 0) => ({
  marker,
  sequenceNumber,
  rolloverCounter,
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
      const sent = [65_534, 65_535, 0, 1].map((sequenceNumber) =>
        packet(sequenceNumber, true, sequenceNumber < 2 ? 1 : 0),
      );
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

    it('sends the copies of one socket in batches, each under its own listener’s keys', async () => {
      if (!nativeSrtp) throw new Error(`no native sender: ${nativeSrtpProblem}`);
      const from = await boundSocket();
      const fd = udpDescriptor(udpHandle(from));
      if (fd === undefined) throw new Error('Node no longer exposes the socket descriptor');
      // More listeners than one sendmmsg(2) takes, so the batch spans several.
      const listeners = await Promise.all(
        Array.from({ length: 300 }, async (_, index) => {
          const { context, listener } = sessions(profile);
          const to = await boundSocket();
          const received: Buffer[] = [];
          to.on('message', (datagram) => received.push(datagram));
          const sender = nativeSrtp?.createSender(
            fd,
            '127.0.0.1',
            to.address().port,
            context.profile,
            context.srtpSessionKey,
            context.srtpSessionSalt,
            context.profile === AES_CM_128_HMAC_SHA1_80 ? context.srtpSessionAuthTag : null,
            1000 + index,
            111,
            0,
            0,
          );
          return { sender, listener, received, ssrc: 1000 + index };
        }),
      );
      const closed = listeners[150];
      if (closed?.sender) nativeSrtp.close(closed.sender);
      const batch = createNativeBatch();
      const outgoing = packet(77);
      for (const { sender } of listeners) batch.senders[batch.count++] = sender;
      expect(sendNativeBatch(batch, outgoing)).toBe(listeners.length - 1);

      // The same senders read once into a list: the next packet reaches the same listeners.
      const senders = listeners.flatMap(({ sender }) => (sender ? [sender] : []));
      const list = nativeSrtp.senderList(senders);
      const next = packet(78);
      expect(
        nativeSrtp.sendBatch(
          list,
          senders.length,
          next.marker,
          next.sequenceNumber,
          next.rolloverCounter,
          next.timestamp,
          next.payload,
          next.levelPayload,
        ),
      ).toBe(listeners.length - 1);
      // Any other External is refused, never read as a list.
      expect(() =>
        nativeSrtp?.sendBatch(
          senders[0] as unknown as NativeSenderList,
          1,
          false,
          79,
          0,
          0,
          next.payload,
          undefined,
        ),
      ).toThrow(/bad argument/);

      for (const { listener, received, ssrc } of listeners) {
        if (ssrc === closed?.ssrc) continue;
        while (received.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
        const headers = received.map(
          (datagram) => RtpPacket.deSerialize(listener.decrypt(datagram)).header,
        );
        expect(headers).toMatchObject([
          { ssrc, sequenceNumber: 77 },
          { ssrc, sequenceNumber: 78 },
        ]);
      }
      expect(closed?.received).toEqual([]);
    });

    it('counts the session’s roll-over counter from the slot’s at its first packet', async () => {
      const { context, listener } = sessions(profile);
      const { sender, arrived } = await link(context, { ssrc: 7, levelId: 0, rolloverBase: 3 });
      const batch = createNativeBatch();
      const send = (sequenceNumber: number, rolloverCounter: number) => {
        batch.senders[batch.count++] = sender;
        return sendNativeBatch(batch, packet(sequenceNumber, false, rolloverCounter));
      };
      expect([send(65_535, 3), send(0, 4), send(1, 4)]).toEqual([1, 1, 1]);
      // A late packet from before the session's first roll-over has no index: never sent.
      expect(send(65_534, 2)).toBe(0);
      const datagrams = await arrived(3);
      expect(
        datagrams.map(
          (datagram) => RtpPacket.deSerialize(listener.decrypt(datagram)).header.sequenceNumber,
        ),
      ).toEqual([65_535, 0, 1]);
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
      );
    expect(() => create(NATIVE_PROFILES.aeadAes128Gcm, randomBytes(15))).toThrow(/16 bytes/);
    expect(() => create(42, randomBytes(16))).toThrow(/unsupported/);
    expect(() => create(NATIVE_PROFILES.plain, randomBytes(16), 'example.org')).toThrow(
      /not an IP address/,
    );
  });

  it('finds an open socket’s descriptor in Node’s private state, and none of a closed one', async () => {
    const socket = await boundSocket();
    expect(udpDescriptor(udpHandle(socket))).toBeGreaterThan(2);
    socket.close();
    expect(udpHandle(socket)).toBeUndefined();
  });
});
