/**
 * The limit: the relay's job done with nothing but dgram sockets in this process. One ingress
 * socket takes the speaker's datagrams; each is unprotected once and sent to every listener from
 * a socket of its own (as the relay has one per peer), protected with that listener's keys.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Keys, Protection } from './protocol.ts';
import { protect, randomKeys, unprotect } from './srtp-like.ts';

export async function startFanout(protection: Protection, ports: readonly number[]) {
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
      const sockets = [ingress, ...egress];
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))),
      );
    },
  };
}

export type Fanout = Awaited<ReturnType<typeof startFanout>>;
