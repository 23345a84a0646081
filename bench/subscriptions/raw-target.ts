import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { now } from './protocol.ts';
import type { Target } from './target.ts';

/**
 * The limit: a bare `ws` server that sends one prepared frame to every client, with no
 * protocol, execution or serialization per subscriber. `setPayload` takes a message exactly as
 * Amphi sent it, so both move the same bytes.
 */
export async function startRawTarget(): Promise<Target & { setPayload(payload: string): void }> {
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let payload = Buffer.from('{}');
  return {
    name: 'raw ws',
    url: `ws://127.0.0.1:${port}/`,
    mode: { kind: 'raw' },
    setPayload(message) {
      payload = Buffer.from(message);
    },
    subscribers: () => wss.clients.size,
    async publish(count) {
      const times: number[] = [];
      for (let event = 0; event < count; event++) {
        times.push(now());
        for (const client of wss.clients) client.send(payload, { binary: false });
      }
      return times;
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
