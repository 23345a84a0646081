import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import type { RelayWorkerPool } from '../../server/media/relay-workers/relay-worker-pool.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually, joinLab } from './helpers/lab.ts';

let t: TestApp;
beforeAll(async () => {
  if (!hasChromium) return;
  t = await startTestApp({
    hosting: { minFollowers: 0, minFollowersTicketed: 0 },
    media: {
      ...defaultConfig.media,
      // On the relay from the first listener, spread over two worker processes.
      policy: { maxMeshParticipants: 1, maxUplinkStreams: 8 },
      relay: { ...defaultConfig.media.relay, workers: 2, spreadAfter: 0 },
    },
  });
});
afterAll(() => t?.stop());

/** The page's relay session now, and whether it is connected. */
const relayOf = (page: Page) =>
  page.evaluate(() => {
    type Stats = { relay: { sessionId: string | null; state: string } | null };
    const lab = (window as unknown as { lab: { room: { stats(): Stats } } }).lab;
    return lab.room.stats().relay;
  });

describe.skipIf(!hasChromium)('a relay worker that dies', () => {
  it('leaves its listeners hearing the speaker again within 5 s', async () => {
    const host = await t.createUser('host');
    const listener = await t.createUser('listener');
    const space = await t.app.services.spaces.start(host.id, { title: 'Crash', topics: [] });
    const spaceGlobalId = toGlobalId('Space', space.id);
    const hostId = await t.participantId(space.id, host.id);
    const hostLab = await joinLab(t.url, host.credentials.token ?? '', spaceGlobalId);
    const ear = await joinLab(t.url, listener.credentials.token ?? '', spaceGlobalId);
    try {
      const hearsHost = async () =>
        (await ear.remotes()).some(
          (r) => r.participantId === hostId && r.source === 'relay' && r.packets > 0 && r.level > 0,
        );
      await eventually(hearsHost, (heard) => heard);
      const before = await relayOf(ear.page);
      const pool = t.app.relay as RelayWorkerPool;
      const pid = pool.workerPids()[pool.workerOf(before?.sessionId ?? '') ?? -1];
      expect(pid).toBeGreaterThan(0);

      process.kill(pid ?? 0, 'SIGKILL');
      // Told by the server, the page opens a new session on a worker that runs and hears the
      // host again, well before ICE alone would have noticed (seconds) and retried.
      await eventually(
        async () => ({ relay: await relayOf(ear.page), hears: await hearsHost() }),
        ({ relay, hears }) =>
          relay?.sessionId !== before?.sessionId && relay?.state === 'connected' && hears,
        5_000,
      );
    } finally {
      await Promise.all([hostLab.close(), ear.close()]);
    }
  }, 120_000);
});
