/**
 * The limit: the relay's job done with nothing but dgram sockets in this process. One ingress
 * socket takes the speaker's datagrams; each is unprotected once and sent to every listener from
 * a socket of its own (as the relay has one per peer), protected with that listener's keys.
 */
import { createSocket, type Socket } from 'node:dgram';
import {
  NATIVE_PROFILES,
  type NativeSrtpSender,
  nativeSrtp,
  udpDescriptor,
  udpHandle,
} from '../../server/media/relay/native-srtp.ts';
import type { Keys, Protection } from './protocol.ts';
import { headerLength, protect, randomKeys, unprotect } from './srtp-like.ts';

/** How the native sender sends plain copies: one sendto(2) each, or in sendmmsg(2) batches. */
export type NativeFanout = 'sendto' | 'sendmmsg';

/**
 * Plain copies sent by the relay's native sender with no protection: from a socket per listener
 * (one system call per copy), or all from one socket as the relay's shared port does (batched).
 */
function nativePlainSenders(
  egress: readonly Socket[],
  ports: readonly number[],
  how: NativeFanout,
) {
  if (!nativeSrtp) throw new Error('the native SRTP sender is not built');
  const binding = nativeSrtp;
  return egress.map((own, index): NativeSrtpSender => {
    const socket = how === 'sendmmsg' ? (egress[0] ?? own) : own;
    const fd = udpDescriptor(udpHandle(socket));
    if (fd === undefined) throw new Error('no descriptor for a fan-out socket');
    const none = Buffer.alloc(16);
    return binding.createSender(
      fd,
      '127.0.0.1',
      ports[index] ?? 0,
      NATIVE_PROFILES.plain,
      none,
      none,
      null,
      index,
      111,
      0,
      0,
    );
  });
}

/**
 * Copies sent in C (the relay's native sender with no protection) when `native`: the kernel's
 * cost of the copies, the physical limit of a one-core fan-out.
 */
export async function startFanout(
  protection: Protection,
  ports: readonly number[],
  native?: NativeFanout,
) {
  const speakerKeys = randomKeys();
  const listenerKeys = ports.map(() => randomKeys());
  const egress: Socket[] = [];
  for (const port of ports) {
    const socket = createSocket('udp4');
    // A connected socket reports the ICMP port-unreachable of a receiver that has closed.
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
    egress.push(socket);
  }
  const senders = native ? nativePlainSenders(egress, ports, native) : undefined;
  const ingress = createSocket('udp4');
  ingress.on('error', () => {});
  let forwarded = 0;
  let rejected = 0;
  ingress.on('message', (datagram: Buffer) => {
    let rtp: Buffer;
    try {
      rtp = unprotect(protection, datagram, speakerKeys);
    } catch {
      rejected += 1;
      return;
    }
    if (senders && nativeSrtp) {
      forwarded += nativeSrtp.sendBatch(
        senders,
        senders.length,
        ((rtp[1] ?? 0) & 0x80) !== 0,
        rtp.readUInt16BE(2),
        0,
        rtp.readUInt32BE(4),
        rtp.subarray(headerLength(rtp)),
        undefined,
      );
      return;
    }
    for (let index = 0; index < egress.length; index++) {
      const copy =
        protection === 'plain' ? datagram : protect(protection, rtp, listenerKeys[index]!);
      egress[index]!.send(copy);
      forwarded += 1;
    }
  });
  await new Promise<void>((resolve) => ingress.bind(0, '127.0.0.1', resolve));

  return {
    port: ingress.address().port,
    speakerKeys: speakerKeys satisfies Keys,
    get forwarded() {
      return forwarded;
    },
    get rejected() {
      return rejected;
    },
    async stop(): Promise<void> {
      for (const sender of senders ?? []) nativeSrtp?.close(sender);
      const sockets = [ingress, ...egress];
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))),
      );
    },
  };
}

export type Fanout = Awaited<ReturnType<typeof startFanout>>;
