/**
 * The floor, in its own process: a bare `ws` server that sends each prepared message to every
 * client on the crowd's schedule, with no protocol, execution or serialization per subscriber.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { type FromBroadcaster, now, type ToBroadcaster } from './protocol.ts';

const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
const send = (message: FromBroadcaster) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function broadcast(messages: string[], intervalMs: number) {
  const start = now();
  const sentAt: number[] = [];
  for (const [index, message] of messages.entries()) {
    await sleep(start + index * intervalMs - now());
    const frame = Buffer.from(message);
    sentAt.push(now());
    for (const client of wss.clients) client.send(frame, { binary: false });
  }
  send({ type: 'broadcast', sentAt, clients: wss.clients.size });
}

process.on('message', (message: ToBroadcaster) => {
  if (message.type === 'listen') {
    server.listen(0, '127.0.0.1', () => {
      send({ type: 'listening', port: (server.address() as AddressInfo).port });
    });
    return;
  }
  void broadcast(message.messages, message.intervalMs);
});

process.on('disconnect', () => {
  for (const client of wss.clients) client.terminate();
  server.close();
  process.exit(0);
});
