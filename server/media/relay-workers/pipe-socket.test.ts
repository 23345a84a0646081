import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { createPipeSocket } from './pipe-socket.ts';

const hasIpv6 = Object.values(networkInterfaces()).some((addresses) =>
  addresses?.some((address) => address.family === 'IPv6' && address.internal),
);
const sockets: Socket[] = [];

async function receiver(type: 'udp4' | 'udp6', address: string) {
  const socket = createSocket(type);
  sockets.push(socket);
  const got: string[] = [];
  socket.on('message', (datagram) => got.push(datagram.toString()));
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { port: socket.address().port, got };
}

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

describe("a relay worker's pipe socket", () => {
  it.skipIf(!hasIpv6)(
    'bound on every interface, reaches hosts over IPv4 and over IPv6 alike',
    async () => {
      const pipe = createPipeSocket('0.0.0.0');
      sockets.push(pipe.socket);
      await new Promise<void>((resolve) => pipe.socket.bind(0, pipe.bindAddress, resolve));
      const overIpv4 = await receiver('udp4', '127.0.0.1');
      const overIpv6 = await receiver('udp6', '::1');
      pipe.send(Buffer.from('to v4'), overIpv4.port, '127.0.0.1');
      pipe.send(Buffer.from('to v6'), overIpv6.port, '::1');
      await waitFor(() => overIpv4.got.length > 0 && overIpv6.got.length > 0, 'both', 5_000);
      expect([...overIpv4.got, ...overIpv6.got]).toEqual(['to v4', 'to v6']);

      // And hears both: a host over IPv4 pipes back to it.
      const heard: string[] = [];
      pipe.socket.on('message', (datagram) => heard.push(datagram.toString()));
      const back = createSocket('udp4');
      sockets.push(back);
      back.send('from v4', pipe.socket.address().port, '127.0.0.1');
      await waitFor(() => heard.length > 0, 'the IPv4 host', 5_000);
      expect(heard).toEqual(['from v4']);
    },
  );

  it('bound on one address, keeps to it', async () => {
    const pipe = createPipeSocket('127.0.0.1');
    sockets.push(pipe.socket);
    expect(pipe.bindAddress).toBe('127.0.0.1');
    await new Promise<void>((resolve) => pipe.socket.bind(0, pipe.bindAddress, resolve));
    const overIpv4 = await receiver('udp4', '127.0.0.1');
    pipe.send(Buffer.from('to v4'), overIpv4.port, '127.0.0.1');
    await waitFor(() => overIpv4.got.length > 0, 'the IPv4 host', 5_000);
    expect(pipe.socket.address().address).toBe('127.0.0.1');
  });
});
