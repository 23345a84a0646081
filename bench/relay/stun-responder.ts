/**
 * A STUN server on 127.0.0.1 that answers Binding requests, for werift's peers to use. werift's
 * ICE agent falls back to stun.l.google.com:19302 when no STUN server is configured (Connection
 * in werift/lib/ice, `validateAddress(stunServer) ?? ["stun.l.google.com", 19302]`), even with
 * `iceServers: []`: every relay.open would resolve that name and send it a request, and an
 * unanswered one holds the offer for werift's 5 s gathering timeout. Answering here keeps the
 * bench on the loopback address and its joins free of that wait.
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
