import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

/** A port on 127.0.0.1 that nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const lines = (spy: { mock: { calls: unknown[][] } }, pattern: RegExp) =>
  spy.mock.calls.filter((args) => args.some((arg) => pattern.test(String(arg))));

describe('Mutation while Redis is unreachable (REDIS_URL to a closed port)', () => {
  let t: TestApp;
  const warn = vi.spyOn(console, 'warn');
  const error = vi.spyOn(console, 'error');
  beforeAll(async () => {
    t = await startTestApp({ redisUrl: `redis://127.0.0.1:${await closedPort()}` });
  });
  afterAll(async () => {
    await t?.stop();
    warn.mockRestore();
    error.mockRestore();
  });

  // ioredis queued each limiter command through 20 reconnection attempts (10–20 s each); this
  // test's own time limit is shorter than one of them.
  it('answers each mutation, counting limits in memory, and logs the outage once', {
    timeout: 8_000,
  }, async () => {
    const fan = await t.createUser('fan');
    const stars = [await t.createUser('star'), await t.createUser('star')];
    const follow = 'mutation ($userId: ID!) { follow(userId: $userId) { __typename } }';
    for (const star of stars) {
      const result = await fan.gql(follow, { userId: star.globalId });
      expect(result).toEqual({ data: { follow: { __typename: 'MutationFollowSuccess' } } });
    }
    expect(lines(warn, /outage: Redis \(rate limits\) is unreachable/)).toHaveLength(1);
    expect(lines(error, /ioredis/i)).toEqual([]);
  });
});
