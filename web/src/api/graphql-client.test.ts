import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { type Api, connectApi } from './graphql-client.ts';

const schema = buildSchema('type Query { hello: String }');
const rootValue = { hello: () => 'world' };

async function startServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  let connections = 0;
  wss.on('connection', () => {
    connections += 1;
  });
  useServer({ schema, roots: { query: rootValue } }, wss);
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise((resolve) => wss.close(resolve)),
  };
}

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup) await step();
  cleanup = [];
});

describe('connectApi', () => {
  it('keeps one socket across requests with a pause between them', async () => {
    const server = await startServer();
    const api: Api = connectApi({ url: server.url });
    cleanup = [async () => api.close(), server.close];

    expect(await api.request('{ hello }')).toEqual({ hello: 'world' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await api.request('{ hello }')).toEqual({ hello: 'world' });

    expect(server.connections()).toBe(1);
  });
});
