import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { testRedisUrlForRelay } from '../../../tests/helpers/remote-relay-worker.ts';
import { type PipeFederation, startPipeFederation } from './pipe-federation.ts';

const prefix = `test:pipe-federation:${randomUUID()}:`;
const started: PipeFederation[] = [];

function join() {
  const changed: string[] = [];
  const dropped: string[] = [];
  return startPipeFederation(
    { redisUrl: testRedisUrlForRelay, prefix },
    {
      onTargets: (spaceId) => changed.push(spaceId),
      onDropPiped: (spaceId, participantId) => dropped.push(`${spaceId}/${participantId}`),
    },
  ).then((federation) => {
    started.push(federation);
    return Object.assign(federation, { changed, dropped });
  });
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((federation) => federation.stop()));
});
afterAll(async () => {
  const redis = new Redis(testRedisUrlForRelay);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('relay pools of several API instances', () => {
  it('share one pipe key and never hand out a sender id twice', async () => {
    const [a, b] = await Promise.all([join(), join()]);
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(true);
    const ids = await Promise.all(
      [a, b, a, b, a, b].map((federation) => federation.nextSenderId()),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('pipe a space to each other while both hold it, and stop once one leaves or stops', async () => {
    const [a, b, c] = await Promise.all([join(), join(), join()]);
    const fromA = [{ host: '127.0.0.1', port: 5001, senderId: 11 }];
    const fromB = [{ host: '127.0.0.1', port: 5002, senderId: 12 }];
    a.record('space', fromA);
    b.record('space', fromB);
    await waitFor(() => b.targets('space').length === 1, 'B sees A', 5_000);
    await waitFor(() => a.targets('space').length === 1, 'A sees B', 5_000);
    expect(a.targets('space')).toEqual(fromB);
    expect(b.targets('space')).toEqual(fromA);
    // A pool not holding the space keeps out of it.
    expect(c.targets('space')).toEqual([]);
    expect(c.changed).toEqual([]);

    a.record('space', []);
    await waitFor(() => b.targets('space').length === 0, 'B forgets A', 5_000);
    a.record('space', fromA);
    await waitFor(() => b.targets('space').length === 1, 'B sees A again', 5_000);
    await a.stop();
    await waitFor(() => b.targets('space').length === 0, 'B forgets the stopped A', 5_000);
  });

  it('tell the others when a publisher leaves, and only those holding the space hear of it', async () => {
    const [a, b] = await Promise.all([join(), join()]);
    a.dropPiped('space', 'speaker');
    await waitFor(() => b.dropped.length === 1, 'B hears of the drop', 5_000);
    expect(b.dropped).toEqual(['space/speaker']);
    expect(a.dropped).toEqual([]);
  });

  it('drop the pipes of a pool whose host vanished without a word', async () => {
    const b = await join();
    b.record('space', [{ host: '127.0.0.1', port: 5002, senderId: 22 }]);
    // Another instance in a process of its own, killed as a pulled plug would end it.
    const script = `
      import { startPipeFederation } from './server/media/relay-workers/pipe-federation.ts';
      const a = await startPipeFederation(
        { redisUrl: ${JSON.stringify(testRedisUrlForRelay)}, prefix: ${JSON.stringify(prefix)} },
        { onTargets() {}, onDropPiped() {} },
      );
      a.record('space', [{ host: '127.0.0.1', port: 5001, senderId: 21 }]);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        stdio: 'ignore',
      },
    );
    try {
      await waitFor(() => b.targets('space').length === 1, 'B sees the other instance', 15_000);
    } finally {
      child.kill('SIGKILL');
    }
    await waitFor(() => b.targets('space').length === 0, 'B forgets the vanished one', 10_000);
  }, 30_000);
});
