/**
 * A STUN server on 127.0.0.1 that answers Binding requests, for the bench's werift peers and the
 * relay to use: the relay's ICE gathering then includes a server-reflexive query, as it does in a
 * deployment with STUN configured, and an unanswered one would hold each offer for werift's 5 s
 * gathering timeout. (Without ICE servers werift 0.24 sends no STUN request at all, despite the
 * stun.l.google.com default in its source: server/media/relay/relay-stun.test.ts guards that.)
 */
import { createSocket } from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;

export async function startStunResponder() {
  const socket = createSocket('udp4');
  socket.on('error', () => {});
  socket.on('message', (request: Buffer, from) => {
    if (request.length < 20 || request.readUInt16BE(0) !== BINDING_REQUEST) return;
    if (request.readUInt32BE(4) !== MAGIC_COOKIE) return;
    const response = Buffer.alloc(32);
    response.writeUInt16BE(BINDING_SUCCESS, 0);
    response.writeUInt16BE(12, 2);
    response.writeUInt32BE(MAGIC_COOKIE, 4);
    request.copy(response, 8, 8, 20);
    response.writeUInt16BE(XOR_MAPPED_ADDRESS, 20);
    response.writeUInt16BE(8, 22);
    response.writeUInt8(0x01, 25);
    response.writeUInt16BE(from.port ^ (MAGIC_COOKIE >>> 16), 26);
    const address = from.address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
    response.writeUInt32BE((address ^ MAGIC_COOKIE) >>> 0, 28);
    socket.send(response, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    url: `stun:127.0.0.1:${socket.address().port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
