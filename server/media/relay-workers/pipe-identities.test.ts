import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  closedPort,
  type RedisServer,
  startRedisServer,
} from '../../../tests/helpers/redis-server.ts';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import type { PipeFederation } from './pipe-federation.ts';
import { createPipeIdentities } from './pipe-identities.ts';

const noEvents = { onTargets() {}, onDropPiped() {} };
const outageLines = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map((args) => String(args[0])).filter((line) => line.includes('relay pipes'));

describe('createPipeIdentities with Redis down at start', () => {
  let redis: RedisServer | undefined;
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
    warn.mockClear();
  });

  it('pipes alone, joins once Redis is up, and has its workers take up the common key', async () => {
    const port = await closedPort();
    const tookUp: PipeFederation[] = [];
    const identities = createPipeIdentities(
      { redisUrl: `redis://127.0.0.1:${port}`, prefix: `test:${randomUUID()}:` },
      noEvents,
      async (joined) => {
        tookUp.push(joined);
      },
    );
    try {
      const alone = await identities.next();
      expect(identities.federation()).toBeNull();
      redis = await startRedisServer(port);
      await waitFor(() => identities.federation() !== null, 'the pool joined', 10_000);
      const joined = identities.federation()!;
      expect(tookUp).toEqual([joined]);
      const shared = await identities.next();
      expect(Buffer.from(shared.key).equals(Buffer.from(joined.key))).toBe(true);
      expect(Buffer.from(shared.key).equals(Buffer.from(alone.key))).toBe(false);
      const lines = outageLines(warn);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^outage: Redis \(relay pipes\) is unreachable/);
      expect(lines[1]).toMatch(/^outage over: Redis \(relay pipes\)/);
    } finally {
      await identities.stop();
    }
  });

  it('stops trying once stopped: no later attempt reaches the Redis that comes up', async () => {
    const port = await closedPort();
    const identities = createPipeIdentities(
      { redisUrl: `redis://127.0.0.1:${port}`, prefix: `test:${randomUUID()}:` },
      noEvents,
      async () => {},
    );
    await identities.next();
    await identities.stop();
    redis = await startRedisServer(port);
    const observer = new Redis(redis.url, { disableClientInfo: true });
    try {
      // Past the first retry (1 s): a retry left behind would have connected by then.
      await sleep(2_000);
      const clients = await observer.client('LIST');
      expect(String(clients).trim().split('\n')).toHaveLength(1);
      expect(identities.federation()).toBeNull();
    } finally {
      observer.disconnect();
    }
  });
});
