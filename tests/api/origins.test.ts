import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { defaultConfig } from '../../server/config.ts';
import { signUp } from '../helpers/accounts.ts';
import { gql, wsClient, wsRequest } from '../helpers/graphql-client.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

const APP_ORIGIN = 'https://app.example';
const FOREIGN = 'https://evil.example';
const PUBLIC_ORIGIN = new URL(defaultConfig.publicUrl).origin;

let t: TestApp;
let cookie: string;
let handle: string;
let tokenUser: TestUser;
beforeAll(async () => {
  t = await startTestApp({ http: { ...defaultConfig.http, corsOrigins: [APP_ORIGIN] } });
  handle = 'origin_tester';
  ({ cookie } = await signUp(t.url, {
    email: 'origins@example.com',
    password: 'correct horse battery',
    name: 'Origin Tester',
    handle,
  }));
  tokenUser = await t.createUser('token_holder');
});
afterAll(() => t?.stop());

/** POSTs an operation the way a browser page at `origin` would (or a script, without one). */
async function post(
  query: string,
  headers: { origin?: string; cookie?: string; authorization?: string },
) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { extensions?: unknown }[] },
  };
}

const rename = (name: string) =>
  `mutation { updateProfile(input: { displayName: "${name}" }) { __typename } }`;

const displayNameOf = async (userHandle: string) =>
  (await t.app.prisma.user.findUniqueOrThrow({ where: { handle: userHandle } })).name;

describe('CORS on /graphql', () => {
  it('gives credentials to PUBLIC_URL and CORS_ORIGINS pages only; other pages get no credentials', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    for (const origin of [APP_ORIGIN, PUBLIC_ORIGIN]) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    }
    const foreign = await preflight(FOREIGN);
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
    const query = await fetch(`${t.url}/graphql?query=%7B__typename%7D`, {
      headers: { origin: FOREIGN, cookie },
    });
    expect(query.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('cookie-authenticated operations and the Origin', () => {
  it('Mutation.updateProfile by session cookie: refused from a foreign page (403 FORBIDDEN_ORIGIN, nothing changed), accepted from allowed pages and from scripts without Origin; a token works from anywhere', async () => {
    for (const origin of [FOREIGN, 'null']) {
      const refused = await post(rename('Forged'), { origin, cookie });
      expect(refused.status).toBe(403);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN_ORIGIN' });
    }
    expect(await displayNameOf(handle)).toBe('Origin Tester');

    for (const origin of [t.url, PUBLIC_ORIGIN, APP_ORIGIN, undefined]) {
      const accepted = await post(rename(`From ${origin ?? 'a script'}`), {
        cookie,
        ...(origin && { origin }),
      });
      expect(accepted.body).toEqual({
        data: { updateProfile: { __typename: 'MutationUpdateProfileSuccess' } },
      });
      expect(await displayNameOf(handle)).toBe(`From ${origin ?? 'a script'}`);
    }

    const withToken = await post(rename('Token from anywhere'), {
      origin: FOREIGN,
      authorization: `Bearer ${tokenUser.credentials.token}`,
    });
    expect(withToken.body).toEqual({
      data: { updateProfile: { __typename: 'MutationUpdateProfileSuccess' } },
    });
    expect(await displayNameOf(tokenUser.handle)).toBe('Token from anywhere');
  });

  it('Subscription.notifications over SSE by session cookie from a foreign page is refused', async () => {
    const query = encodeURIComponent('subscription { notifications { kind } }');
    const response = await fetch(`${t.url}/graphql?query=${query}`, {
      headers: { accept: 'text/event-stream', origin: FOREIGN, cookie },
    });
    expect(await response.text()).toMatch(/FORBIDDEN_ORIGIN/);
  });
});

describe('graphql-ws upgrades and the Origin', () => {
  const wsUrl = () => `${t.url.replace(/^http/, 'ws')}/graphql`;

  it('refuses (403) an upgrade from a foreign page carrying the session cookie; without it, the page may use a token', async () => {
    const socket = new WebSocket(wsUrl(), 'graphql-transport-ws', {
      headers: { origin: FOREIGN, cookie },
    });
    const status = await new Promise<number | undefined>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      socket.once('open', () => resolve(101));
      socket.once('error', () => {});
    });
    socket.terminate();
    expect(status).toBe(403);

    // Without the cookie the page gets in, and a token in the connection parameters works.
    class ForeignPageSocket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers: { origin: FOREIGN } });
      }
    }
    const { createClient } = await import('graphql-ws');
    const client = createClient({
      url: wsUrl(),
      webSocketImpl: ForeignPageSocket,
      connectionParams: { authorization: `Bearer ${tokenUser.credentials.token}` },
      retryAttempts: 0,
    });
    const viewer = await wsRequest(client, '{ viewer { user { handle } } }');
    expect(viewer.data).toEqual({ viewer: { user: { handle: tokenUser.handle } } });
    await client.dispose();
    // The page's own origin keeps working with the cookie.
    const own = wsClient(t.url, { cookie });
    expect((await wsRequest(own, '{ viewer { user { handle } } }')).data).toEqual({
      viewer: { user: { handle } },
    });
    await own.dispose();
  });
});

describe('/api/auth and the Origin', () => {
  const signInAs = (headers: Record<string, string>) =>
    fetch(`${t.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email: 'origins@example.com', password: 'correct horse battery' }),
    });

  it('refuses sign-in and sign-up from a foreign page (403, no cookie, no account); a script without Origin signs in', async () => {
    const foreign = await signInAs({ origin: FOREIGN });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'FORBIDDEN_ORIGIN' });
    expect(foreign.headers.getSetCookie()).toEqual([]);

    const signUpForeign = await fetch(`${t.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: FOREIGN },
      body: JSON.stringify({
        email: 'forged@example.com',
        password: 'correct horse battery',
        name: 'Forged',
        handle: 'forged_account',
      }),
    });
    expect(signUpForeign.status).toBe(403);
    expect(await t.app.prisma.user.count({ where: { handle: 'forged_account' } })).toBe(0);

    const script = await signInAs({});
    expect(script.status).toBe(200);
    expect(script.headers.getSetCookie().join()).toMatch(/session_token=/);
  });
});

describe('README: a script with a token', () => {
  it('the README script signs in, creates an API token and queries with it, with plain fetch', async () => {
    const readme = await readFile(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Scripts and other apps'));
    const script = /```js\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(script).toBeDefined();
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'amphi-readme-')), 'token.mjs');
    await writeFile(file, script ?? '');

    const { stdout } = await promisify(execFile)(process.execPath, [file], {
      env: {
        ...process.env,
        AMPHI_URL: t.url,
        AMPHI_EMAIL: 'origins@example.com',
        AMPHI_PASSWORD: 'correct horse battery',
      },
    });
    expect(stdout).toMatch(new RegExp(`^Signed in as @${handle}\\. API token \\(shown once\\): `));
    const token = /(amphi_\S+)/.exec(stdout)?.[1];
    const viewer = await gql(t.url, '{ viewer { user { handle } } }', {}, { token });
    expect(viewer.data).toEqual({ viewer: { user: { handle } } });
  });
});
