import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { connect, halfBodyThenReset, send, until, untilClosed } from '../helpers/raw-http.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

const MiB = 1024 * 1024;

let t: TestApp;
let user: TestUser;
const rejections: unknown[] = [];
const recordRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  // The app runs in this process: a rejection it leaves unhandled arrives here.
  process.on('unhandledRejection', recordRejection);
  const webClientDir = await mkdtemp(path.join(tmpdir(), 'amphi-web-'));
  await writeFile(path.join(webClientDir, 'index.html'), '<!doctype html><title>Amphi</title>');
  await writeFile(path.join(webClientDir, 'app.js'), 'console.log("amphi");');
  t = await startTestApp(
    {
      http: { ...defaultConfig.http, headersTimeoutMs: 2_000, requestTimeoutMs: 5_000 },
      ticketing: {
        ...defaultConfig.ticketing,
        stripe: { secretKey: 'sk_test_amphi', webhookSecret: 'whsec_amphi_tests' },
      },
    },
    { webClientDir },
  );
  user = await t.createUser('visitor');
});
afterAll(async () => {
  process.off('unhandledRejection', recordRejection);
  await t?.stop();
});

const space = encodeURIComponent(toGlobalId('Space', randomUUID()));

/** Every HTTP route, by request line and headers. */
const routes = [
  'POST /graphql HTTP/1.1\r\nContent-Type: application/json',
  'POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nAccept: text/event-stream',
  'GET /graphql?query=%7B__typename%7D HTTP/1.1',
  'POST /api/auth/sign-in/email HTTP/1.1\r\nContent-Type: application/json',
  'POST /api/auth/sign-up/email HTTP/1.1\r\nContent-Type: application/json',
  'POST /api/stripe/webhook HTTP/1.1\r\nContent-Type: application/json\r\nStripe-Signature: t=1,v1=0',
  `GET /spaces/${space}.ics HTTP/1.1`,
  `GET /spaces/${space}/transcript.txt HTTP/1.1`,
  'GET /app.js HTTP/1.1',
  'GET / HTTP/1.1',
  'GET /health HTTP/1.1',
].map((head) => head.replace(' HTTP/1.1', ' HTTP/1.1\r\nHost: amphi.test'));

const upgrade = [
  'GET /graphql HTTP/1.1',
  'Host: amphi.test',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Protocol: graphql-transport-ws',
].join('\r\n');

async function expectServerAnswering() {
  const health = await fetch(`${t.url}/health`);
  expect(await health.text()).toBe('ok');
  expect((await t.anonymous('{ __typename }')).data).toEqual({ __typename: 'Query' });
  await new Promise((resolve) => setImmediate(resolve));
  expect(rejections).toEqual([]);
}

describe('aborted requests', () => {
  it('a request cut off half-way on every route (HTTP bodies, an SSE stream, a WebSocket upgrade and frame) leaves the server answering and no rejection unhandled', async () => {
    for (const head of routes) await halfBodyThenReset(t.url, head);

    const sse = await connect(t.url);
    const query = encodeURIComponent('subscription { notifications { kind } }');
    sse.write(
      `GET /graphql?query=${query} HTTP/1.1\r\nHost: amphi.test\r\nAccept: text/event-stream\r\n` +
        `Authorization: Bearer ${user.credentials.token}\r\n\r\n`,
    );
    await until(sse, '\r\n\r\n');
    sse.resetAndDestroy();

    const halfUpgrade = await connect(t.url);
    halfUpgrade.write(`${upgrade.split('\r\n').slice(0, 3).join('\r\n')}\r\n`);
    halfUpgrade.resetAndDestroy();

    const socket = await connect(t.url);
    socket.write(`${upgrade}\r\n\r\n`);
    await until(socket, '101 Switching Protocols');
    // A masked text frame announcing 100 bytes, of which 10 arrive.
    socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | 100, 1, 2, 3, 4]), Buffer.alloc(10)]));
    socket.resetAndDestroy();

    await expectServerAnswering();
  });
});

describe('oversized requests', () => {
  const body = (bytes: number) => Buffer.alloc(bytes, 'x');

  it('POST /graphql over 1 MiB gets 413 with a GraphQL error, declared or chunked', async () => {
    for (const chunked of [false, true]) {
      const response = await send(t.url, '/graphql', {
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat([Buffer.from('{"query":"{ __typename }","x":"'), body(20 * MiB)]),
        chunked,
      });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toEqual({
        errors: [
          {
            message: expect.stringMatching(/too large.*1048576 bytes/),
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
    }
    await expectServerAnswering();
  });

  it('auth and webhook bodies over their limits get 413 with a clear message', async () => {
    for (const route of ['/api/auth/sign-up/email', '/api/auth/sign-in/email']) {
      const response = await send(t.url, route, {
        headers: { 'content-type': 'application/json' },
        body: body(MiB),
      });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
    const webhook = await send(t.url, '/api/stripe/webhook', { body: body(2 * MiB) });
    expect(webhook.status).toBe(413);
    expect(webhook.body).toMatch(/Request body too large: \/api\/stripe\/webhook takes at most/);
    await expectServerAnswering();
  });

  it('read-only routes (files, web client, health) refuse any request body with 413', async () => {
    for (const route of [
      `/spaces/${space}.ics`,
      `/spaces/${space}/transcript.txt`,
      '/app.js',
      '/',
      '/health',
    ]) {
      const response = await send(t.url, route, { method: 'GET', body: body(1024) });
      expect({ route, status: response.status, body: response.body }).toEqual({
        route,
        status: 413,
        body: `Request body too large: ${route} takes no request body.`,
      });
    }
    expect(await (await fetch(`${t.url}/app.js`)).text()).toBe('console.log("amphi");');
  });

  it('a graphql-ws message over 1 MiB closes that socket with 1009 (message too big)', async () => {
    const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { x: 'x'.repeat(2 * MiB) } }));
    expect(await closed).toBe(1009);
    await expectServerAnswering();
  });
});

describe('slow requests', () => {
  it('a client that never finishes its headers gets 408 and is disconnected', async () => {
    const socket = await connect(t.url);
    const answer = untilClosed(socket);
    socket.write('GET /health HTTP/1.1\r\nHost: amphi.test\r\nX-Slow: ');
    expect(await answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a client that never finishes its body gets 408 and is disconnected', async () => {
    const socket = await connect(t.url);
    const answer = untilClosed(socket);
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: amphi.test\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"query":',
    );
    expect(await answer).toMatch(/^HTTP\/1\.1 408/);
    await expectServerAnswering();
  });
});
