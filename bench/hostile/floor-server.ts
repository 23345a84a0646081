/**
 * The floor: a bare node:http server answering a static body, in its own process. Probed beside
 * Amphi, it shows what the clients and the machine alone add to a request's latency.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ToFloor = { type: 'listen' };
export type FromFloor = { type: 'listening'; port: number };

const body = Buffer.from('ok');
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }).end(body);
});

process.on('message', (message: ToFloor) => {
  if (message.type !== 'listen') return;
  server.listen(0, '127.0.0.1', () => {
    const reply: FromFloor = { type: 'listening', port: (server.address() as AddressInfo).port };
    process.send?.(reply);
  });
});
process.on('disconnect', () => process.exit(0));
