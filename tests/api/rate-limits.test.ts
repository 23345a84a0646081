import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { postFrom } from '../helpers/from-address.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { testAuthSecret } from '../helpers/test-database.ts';

/** better-auth's own rule for sign-in and sign-up: 3 per 10 s per address. */
const AUTH_PER_ADDRESS = 3;

const wrongSignIn = (t: TestApp, from: string, headers: Record<string, string> = {}) =>
  postFrom(
    from,
    `${t.url}/api/auth/sign-in/email`,
    { email: `${randomUUID()}@nobody.invalid`, password: 'not-the-password' },
    headers,
  );

/** Signs in wrongly until the address's bucket is full; the next attempt is refused with 429. */
async function exhaustSignIns(t: TestApp, from: string, headers: Record<string, string> = {}) {
  for (let i = 0; i < AUTH_PER_ADDRESS; i++) {
    expect((await wrongSignIn(t, from, headers)).status).toBe(401);
  }
  expect((await wrongSignIn(t, from, headers)).status).toBe(429);
}

const FOLLOW = 'mutation ($userId: ID!) { follow(userId: $userId) { __typename } }';

describe('POST /api/auth/sign-in/email', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      auth: {
        ...defaultConfig.auth,
        secret: testAuthSecret,
        rateLimit: true,
        signInsPerAccount: { max: 2, windowSeconds: 60 },
      },
    });
  });
  afterAll(() => t?.stop());

  it('counts each client address apart: one client past the limit locks out no one else', async () => {
    await exhaustSignIns(t, '127.0.0.3');
    expect((await wrongSignIn(t, '127.0.0.4')).status).toBe(401);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    await exhaustSignIns(t, '127.0.0.5');
    const forged = await wrongSignIn(t, '127.0.0.5', { 'x-forwarded-for': '203.0.113.77' });
    expect(forged.status).toBe(429);
    const forgedChain = await wrongSignIn(t, '127.0.0.5', {
      'x-forwarded-for': '203.0.113.78, 127.0.0.1',
    });
    expect(forgedChain.status).toBe(429);
  });

  it('limits sign-ins to one account from all addresses together', async () => {
    const body = { email: 'target@victim.invalid', password: 'guess-guess' };
    const url = `${t.url}/api/auth/sign-in/email`;
    const statuses = [];
    for (const from of ['127.0.0.6', '127.0.0.7', '127.0.0.8']) {
      statuses.push((await postFrom(from, url, body)).status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    const other = await postFrom('127.0.0.9', url, { ...body, email: 'other@victim.invalid' });
    expect(other.status).toBe(401);
  });
});

describe('behind a trusted proxy (TRUSTED_PROXIES)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      auth: { ...defaultConfig.auth, secret: testAuthSecret, rateLimit: true },
      proxies: { trusted: ['127.0.0.1'] },
      limits: { ...defaultConfig.limits, mutationsPerMinute: 2, mutationsPerMinutePerIp: 3 },
    });
  });
  afterAll(() => t?.stop());

  it("counts sign-ins and signed-out mutations by the client the proxy's X-Forwarded-For names", async () => {
    await exhaustSignIns(t, '127.0.0.1', { 'x-forwarded-for': '198.51.100.1' });
    const next = await wrongSignIn(t, '127.0.0.1', { 'x-forwarded-for': '198.51.100.2' });
    expect(next.status).toBe(401);

    const follow = (client: string) =>
      postFrom(
        '127.0.0.1',
        `${t.url}/graphql`,
        { query: FOLLOW, variables: { userId: 'VXNlcjox' } },
        { 'x-forwarded-for': `unknown-hop, ${client}` },
      );
    const codes = async (client: string) => {
      const response = await follow(client);
      const body = response.body as { errors?: { extensions?: { code?: string } }[] };
      return body.errors?.[0]?.extensions?.code ?? 'ok';
    };
    expect([await codes('198.51.100.10'), await codes('198.51.100.10')]).toEqual(['ok', 'ok']);
    expect(await codes('198.51.100.10')).toBe('RATE_LIMITED');
    expect(await codes('198.51.100.11')).toBe('ok');
  });

  it('Mutation.follow: many accounts on one address share that address limit', async () => {
    const star = await t.createUser('star');
    const bots = [];
    for (let i = 0; i < 4; i++) bots.push(await t.createUser('bot'));
    const results = [];
    for (const bot of bots) results.push(await bot.gql(FOLLOW, { userId: star.globalId }));
    expect(results.slice(0, 3).map((r) => r.data?.['follow'])).toEqual(
      Array(3).fill({ __typename: 'MutationFollowSuccess' }),
    );
    expect(results[3]?.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
  });
});

describe('a flood of sign-ins from many addresses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      auth: { ...defaultConfig.auth, secret: testAuthSecret, passwordChecksWaiting: 2 },
    });
  });
  afterAll(() => t?.stop());

  it('is told to come back (503 BUSY) past the password checks that may wait, and the server keeps answering', async () => {
    const flood = await Promise.all(
      Array.from({ length: 12 }, (_, i) => wrongSignIn(t, `127.0.1.${i + 1}`)),
    );
    const busy = flood.filter((response) => response.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.body).toMatchObject({ code: 'BUSY' });
    expect(busy[0]?.headers['retry-after']).toBe('1');
    expect(flood.filter((response) => response.status === 401).length).toBeGreaterThanOrEqual(3);
    expect(flood.length).toBe(busy.length + flood.filter((r) => r.status === 401).length);
    expect((await wrongSignIn(t, '127.0.1.100')).status).toBe(401);
  });
});
