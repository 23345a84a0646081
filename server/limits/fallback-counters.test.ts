import { createServer, connect as dial, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutageLog } from '../outages/outage-log.ts';
import { createFallbackCounters } from './fallback-counters.ts';
import { createMemoryCounters } from './memory-counters.ts';
import { createFailFastRedis, createRedisCounters } from './redis-counters.ts';

const redisUrl = process.env['TEST_REDIS_URL'];

/** A TCP hop in front of Redis that the test can take down and bring back on the same port. */
async function redisHop(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    server = createServer((client) => {
      const upstream = dial(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    const address = server.address();
    if (address && typeof address === 'object') port = address.port;
  };
  const down = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  };
  await up();
  return { url: () => `redis://127.0.0.1:${port}`, up, down };
}

function setUp(url: string) {
  const lines: string[] = [];
  const outage = createOutageLog('Redis', 'memory', { log: (line) => lines.push(line) });
  const redis = createFailFastRedis(url);
  const counters = createFallbackCounters(
    redis,
    createRedisCounters(redis, `test:${Math.random()}:`),
    createMemoryCounters(),
    outage,
    50,
  );
  return { lines, redis, counters };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
};

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('createFallbackCounters', () => {
  it('counts in memory while Redis refuses connections, and logs that once', async () => {
    const hop = await redisHop(new URL('redis://127.0.0.1:1'));
    await hop.down();
    const { lines, redis, counters } = setUp(hop.url());
    cleanup.push(() => redis.disconnect());
    await until(() => lines.length > 0);
    const counts = [];
    for (let i = 0; i < 5; i++) counts.push((await counters.hit('k', 60_000)).count);
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    await counters.set('s', 'v', 60_000);
    expect(await counters.get('s')).toBe('v');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^outage: Redis is unreachable \(connect ECONNREFUSED/);
  });

  it.skipIf(!redisUrl)(
    'shares counts through Redis, falls back when it goes, logs its return',
    async () => {
      const hop = await redisHop(new URL(redisUrl ?? ''));
      cleanup.push(() => hop.down());
      const { lines, redis, counters } = setUp(hop.url());
      cleanup.push(() => redis.disconnect());
      await until(() => redis.status === 'ready');
      expect((await counters.hit('k', 60_000)).count).toBe(1);
      expect((await counters.hit('k', 60_000)).count).toBe(2);

      await hop.down();
      await until(() => lines.length === 1);
      expect((await counters.hit('k', 60_000)).count).toBe(1);

      await hop.up();
      await until(() => lines.length === 2);
      expect(lines[1]).toMatch(/^outage over: Redis is reachable again/);
      expect((await counters.hit('k', 60_000)).count).toBe(3);
    },
  );
});
