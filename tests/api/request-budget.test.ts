import { connect } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { postFrom } from '../helpers/from-address.ts';
import { untilClosed } from '../helpers/raw-http.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

// A budget slow enough to refill that nothing comes back during a test: 5 units, then one a minute.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ requestRate: { perSecond: 1 / 60, burst: 5 } });
});
afterAll(() => t?.stop());

const query = { query: '{ spaces(state: LIVE, first: 1) { edges { node { id } } } }' };
const graphqlFrom = (address: string) => postFrom(address, `${t.url}/graphql`, query);

const codeOf = (body: unknown) =>
  (body as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;

describe('request budget per client address', () => {
  it('refuses an address past its budget with 429, Retry-After and RATE_LIMITED; others go on', async () => {
    for (let i = 0; i < 5; i++) expect((await graphqlFrom('127.0.0.11')).status).toBe(200);
    const refused = await graphqlFrom('127.0.0.11');
    expect(refused.status).toBe(429);
    expect(codeOf(refused.body)).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const other = await graphqlFrom('127.0.0.12');
    expect(other.status).toBe(200);
    expect(codeOf(other.body)).toBeUndefined();
  });

  it('answers a refused request without waiting for its body', async () => {
    for (let i = 0; i < 5; i++) await graphqlFrom('127.0.0.13');
    const socket = connect({
      host: '127.0.0.1',
      port: Number(new URL(t.url).port),
      localAddress: '127.0.0.13',
    });
    const answer = untilClosed(socket);
    // Announces a megabyte and sends none of it: only a refusal that reads nothing can answer.
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n',
    );
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 429 /);
    expect(text).toContain('RATE_LIMITED');
  });

  it('counts a password check as many requests', async () => {
    const signIn = () =>
      postFrom('127.0.0.14', `${t.url}/api/auth/sign-in/email`, {
        email: 'nobody@example.invalid',
        password: 'not-the-password',
      });
    expect((await signIn()).status).not.toBe(429);
    const refused = await signIn();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    // The budget is spent for every route of this address, not only for sign-ins.
    expect((await graphqlFrom('127.0.0.14')).status).toBe(429);
  });

  it('refuses a WebSocket upgrade from an address out of budget', async () => {
    for (let i = 0; i < 5; i++) await graphqlFrom('127.0.0.15');
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(
        `${t.url.replace(/^http/, 'ws')}/graphql`,
        'graphql-transport-ws',
        {
          localAddress: '127.0.0.15',
        },
      );
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => {});
    });
    expect(status).toBe(429);
  });

  it('refuses operations over graphql-ws past the budget, each with its own error, and keeps the socket', async () => {
    class FromAddress extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { localAddress: '127.0.0.16' });
      }
    }
    let closed = false;
    const client = createClient({
      url: `${t.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: FromAddress,
      retryAttempts: 0,
      on: { closed: () => (closed = true) },
    });
    const run = () =>
      new Promise<string | undefined>((resolve) => {
        client.subscribe(query, {
          next: (result) => resolve(codeOf(result)),
          error: (error) => resolve(Array.isArray(error) ? codeOf({ errors: error }) : 'SOCKET'),
          complete: () => {},
        });
      });
    // The upgrade spent one unit; four operations go through, the fifth is refused.
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await run());
    expect(codes).toEqual([undefined, undefined, undefined, undefined, 'RATE_LIMITED']);
    expect(closed).toBe(false);
    await client.dispose();
  });
});
