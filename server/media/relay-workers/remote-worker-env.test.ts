import { describe, expect, it } from 'vitest';
import { remoteWorkerOptionsFromEnv } from './remote-worker-env.ts';

describe('remoteWorkerOptionsFromEnv', () => {
  it('pipes beside the media port by default, on every interface, announced where it is reached', () => {
    const parsed = remoteWorkerOptionsFromEnv({
      REDIS_URL: 'rediss://:secret@cache.internal:6380',
      RELAY_ANNOUNCED_IP: '203.0.113.9',
      RELAY_WORKER_ID: 'relay-b',
    });
    expect(parsed).toEqual({
      ok: true,
      options: {
        redisUrl: 'rediss://:secret@cache.internal:6380',
        prefix: 'amphi:',
        id: 'relay-b',
        relay: { port: 40000, announcedIp: '203.0.113.9' },
        pipe: { bindAddress: '0.0.0.0', port: 40001, host: '203.0.113.9' },
      },
    });
  });

  it('reports every problem at once', () => {
    const parsed = remoteWorkerOptionsFromEnv({ RELAY_PORT: 'x', RELAY_WORKER_ID: 'a b' });
    expect(parsed.ok ? [] : parsed.problems.map((problem) => problem.split(':')[0])).toEqual([
      'REDIS_URL',
      'RELAY_WORKER_ID',
      'RELAY_PORT',
    ]);
  });

  it('needs to know where other workers reach its pipe', () => {
    const parsed = remoteWorkerOptionsFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(parsed.ok).toBe(false);
  });
});
