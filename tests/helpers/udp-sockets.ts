import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach } from 'vitest';
import { udpHandle } from '../../server/media/relay/native-srtp.ts';

/**
 * For a test file: a function that binds a UDP socket on 127.0.0.1. Sockets still open after a
 * test (a test may close its own) are closed then.
 */
export function udpSocketsPerTest(): () => Promise<Socket> {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) if (udpHandle(socket)) socket.close();
  });
  return async function boundSocket(): Promise<Socket> {
    const socket = createSocket('udp4');
    sockets.push(socket);
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return socket;
  };
}
