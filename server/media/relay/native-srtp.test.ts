import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RtpPacket,
} from 'werift';
import {
  NATIVE_PROFILES,
  nativeSrtp,
  nativeSrtpProblem,
  udpDescriptor,
  udpHandle,
} from './native-srtp.ts';
import { AES_CM_128_HMAC_SHA1_80, advanceRolloverCounter } from './srtp-protect.ts';
import { sessions } from './srtp-test-sessions.ts';

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

async function boundSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

/** A native sender on one socket towards another, and the datagrams that arrive there. */
async function link(profile: number, keys: { key: Buffer; salt: Buffer; authKey: Buffer | null }) {
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
    profile,
    keys.key,
    keys.salt,
    keys.authKey,
  );
  const arrived = async (count: number) => {
    while (received.length < count) await once(to, 'message');
    return received;
  };
  return { binding: nativeSrtp, sender, arrived };
}

describe('the native SRTP sender', () => {
  it('is built wherever CI runs, so the relay there forwards natively', () => {
    if (process.env['CI']) expect(nativeSrtpProblem).toBeUndefined();
    expect(nativeSrtp !== undefined || nativeSrtpProblem !== undefined).toBe(true);
  });

  describe.runIf(nativeSrtp).each([
    ['AEAD_AES_128_GCM', ProtectionProfileAeadAes128Gcm],
    ['AES_CM_128_HMAC_SHA1_80', ProtectionProfileAes128CmHmacSha1_80],
  ] as const)('with %s', (_name, profile) => {
    it('sends packets the listener’s SRTP session decrypts, across a sequence wrap', async () => {
      const { context, listener } = sessions(profile);
      const { binding, sender, arrived } = await link(context.profile, {
        key: context.srtpSessionKey,
        salt: context.srtpSessionSalt,
        authKey: context.profile === AES_CM_128_HMAC_SHA1_80 ? context.srtpSessionAuthTag : null,
      });
      const sequence = [65_534, 65_535, 0, 1];
      const payloads = sequence.map(() => randomBytes(83));
      sequence.forEach((sequenceNumber, index) => {
        const roc = advanceRolloverCounter(context, 0x1234_5678, sequenceNumber);
        const sent = binding.send(
          sender,
          index === 0,
          111,
          sequenceNumber,
          4_294_967_000 + index,
          0x1234_5678,
          roc,
          index % 2 === 0 ? 3 : 0,
          payloads[index]!,
          Buffer.of(0x85),
        );
        expect(sent).toBeGreaterThan(83);
      });

      const datagrams = await arrived(sequence.length);
      datagrams.forEach((datagram, index) => {
        const received = RtpPacket.deSerialize(listener.decrypt(datagram));
        expect(received.header).toMatchObject({
          marker: index === 0,
          payloadType: 111,
          sequenceNumber: sequence[index],
          timestamp: 4_294_967_000 + index,
          ssrc: 0x1234_5678,
          extensions: index % 2 === 0 ? [{ id: 3, payload: Buffer.of(0x85) }] : [],
        });
        expect(received.payload).toEqual(payloads[index]);
      });
    });

    it('authenticates the header: a changed byte is rejected by the listener', async () => {
      const { context, listener } = sessions(profile);
      const { binding, sender, arrived } = await link(context.profile, {
        key: context.srtpSessionKey,
        salt: context.srtpSessionSalt,
        authKey: context.profile === AES_CM_128_HMAC_SHA1_80 ? context.srtpSessionAuthTag : null,
      });
      binding.send(sender, false, 111, 9, 960, 7, 0, 0, randomBytes(40), undefined);
      const [datagram] = await arrived(1);
      datagram![1] = (datagram![1] ?? 0) ^ 0x01;
      expect(() => listener.decrypt(datagram!)).toThrow();
    });
  });

  it.runIf(nativeSrtp)('refuses keys of the wrong size and unknown profiles', async () => {
    const socket = await boundSocket();
    const fd = udpDescriptor(udpHandle(socket)) ?? -1;
    const create = (profile: number, key: Buffer) =>
      nativeSrtp?.createSender(fd, '127.0.0.1', 9, profile, key, randomBytes(14), randomBytes(20));
    expect(() => create(NATIVE_PROFILES.aeadAes128Gcm, randomBytes(15))).toThrow(/16 bytes/);
    expect(() => create(42, randomBytes(16))).toThrow(/unsupported/);
    expect(() =>
      nativeSrtp?.createSender(fd, 'example.org', 9, 0, randomBytes(16), randomBytes(14), null),
    ).toThrow(/not an IP address/);
  });

  it('finds no descriptor on a closed socket, so nothing is written to a reused one', async () => {
    const socket = await boundSocket();
    expect(udpDescriptor(udpHandle(socket))).toBeGreaterThan(2);
    sockets.pop()?.close();
    expect(udpHandle(socket)).toBeUndefined();
  });
});
