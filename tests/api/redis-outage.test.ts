import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedPort } from '../helpers/redis-server.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

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
