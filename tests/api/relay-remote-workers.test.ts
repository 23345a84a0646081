import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import type { RelayWorkerPool } from '../../server/media/relay-workers/relay-worker-pool.ts';
import { connectLibsrtpListener, type LibsrtpListener } from '../helpers/libsrtp-listener.ts';
import { connectWrtcClient, type WrtcTestClient, waitFor } from '../helpers/relay-peers.ts';
import { connectThroughApi } from '../helpers/relay-through-api.ts';
import {
  type RemoteRelayWorkerProcess,
  startRemoteRelayWorker,
  testRedisUrlForRelay,
} from '../helpers/remote-relay-worker.ts';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

// Keys and channels of their own in the shared Redis.
const prefix = `test:relay-remote-api:${randomUUID()}:`;
const remoteId = 'host-b';

let t: TestApp;
let hostB: RemoteRelayWorkerProcess;
beforeAll(async () => {
  // The two-host example of the README, on one machine: host B is a relay worker process with
  // ports of its own, registered through Redis; host A runs the API and one local worker.
  hostB = await startRemoteRelayWorker({ RELAY_REDIS_PREFIX: prefix, RELAY_WORKER_ID: remoteId });
  t = await startTestApp({
    redisUrl: testRedisUrlForRelay,
    hosting: { ...defaultConfig.hosting, minFollowers: 1 },
    media: {
      ...defaultConfig.media,
      relay: {
        ...defaultConfig.media.relay,
        workers: 1,
        // Every space over both hosts at once, however small.
        spreadAfter: 0,
        remote: { prefix, pipeHost: '127.0.0.1', pipePort: 0 },
      },
    },
  });
  const pool = t.app.relay as RelayWorkerPool;
  // Placement spreads sessions over the workers running when they open: wait for all of them.
  await pool.ready();
  await waitFor(() => pool.remoteWorkerIds().includes(remoteId), 'host B leased', 15_000);
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await hostB?.stop();
  const redis = new Redis(testRedisUrlForRelay);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

async function connect<Client extends { answer: string }>(
  user: TestUser,
  spaceGlobalId: string,
  client: (offer: string) => Promise<Client>,
): Promise<{ client: Client; sessionId: string }> {
  const connected = await connectThroughApi(user, spaceGlobalId, client);
  return { client: connected, sessionId: connected.sessionId };
}

describe('Mutation.openRelaySession with a relay worker on another host', () => {
  it('places listeners on both hosts, and each hears the speaker once', async () => {
    const pool = t.app.relay as RelayWorkerPool;
    const cast = await liveSpaceWithCast(t);
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
    const listeners: { client: LibsrtpListener; sessionId: string }[] = [];
    let speaker: WrtcTestClient | undefined;
    try {
      for (const user of [cast.host, cast.cohost, cast.listener]) {
        listeners.push(await connect(user, cast.spaceGlobalId, connectLibsrtpListener));
      }
      const places = new Set(listeners.map(({ sessionId }) => pool.placeOf(sessionId)));
      expect(places).toEqual(new Set(['local:0', `remote:${remoteId}`]));
      speaker = (
        await connect(cast.speaker, cast.spaceGlobalId, (offer) =>
          connectWrtcClient(offer, { speak: true }),
        )
      ).client;
      for (const { client } of listeners) {
        await waitFor(() => client.received.length >= 50, 'the speaker’s audio', 30_000);
        // One speaker, one slot, no copy piped back and forth.
        expect(new Set(client.received.map((packet) => packet.mid)).size).toBe(1);
        const sequenceNumbers = client.received.map((packet) => packet.sequenceNumber);
        expect(new Set(sequenceNumbers).size).toBe(sequenceNumbers.length);
      }
    } finally {
      await speaker?.close();
      await Promise.all(listeners.map(({ client }) => client.close()));
    }
  }, 90_000);
});
