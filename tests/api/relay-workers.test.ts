import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import type { RelayWorkerPool } from '../../server/media/relay-workers/relay-worker-pool.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { connectLibsrtpListener, type LibsrtpListener } from '../helpers/libsrtp-listener.ts';
import { connectWrtcClient, type WrtcTestClient, waitFor } from '../helpers/relay-peers.ts';
import { connectThroughApi } from '../helpers/relay-through-api.ts';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

/** This process's children running a relay worker (Linux /proc). */
function relayWorkerChildren(): number {
  return readdirSync('/proc').filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return parent === process.pid && command.includes('relay-worker-main');
    } catch {
      return false;
    }
  }).length;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    hosting: { ...defaultConfig.hosting, minFollowers: 1 },
    media: {
      ...defaultConfig.media,
      // Every space spread over both workers at once, so that one worker's crash spares some.
      relay: { ...defaultConfig.media.relay, workers: 2, spreadAfter: 0 },
    },
  });
});
afterAll(() => t?.stop());

type Connected<Client> = Client & { sessionId: string };

const RELAY_SESSION_LOST = /* GraphQL */ `
  subscription ($id: ID!) {
    relaySessionLost(sessionId: $id) { sessionId }
  }
`;

describe('Mutation.openRelaySession with relay workers', () => {
  it('serves every participant from worker processes, and listeners hear the speaker', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
    const listeners: LibsrtpListener[] = [];
    let speaker: WrtcTestClient | undefined;
    try {
      for (const user of [cast.host, cast.cohost, cast.listener]) {
        listeners.push(await connectThroughApi(user, cast.spaceGlobalId, connectLibsrtpListener));
      }
      speaker = await connectThroughApi(cast.speaker, cast.spaceGlobalId, (offer) =>
        connectWrtcClient(offer, { speak: true }),
      );
      for (const listener of listeners) {
        await waitFor(() => listener.received.length >= 50, 'the speaker’s audio', 30_000);
        expect(new Set(listener.received.map((packet) => packet.mid)).size).toBe(1);
      }
      expect(relayWorkerChildren()).toBe(2);
    } finally {
      await speaker?.close();
      await Promise.all(listeners.map((listener) => listener.close()));
      // The test peers leave without a word; the relay would keep their sessions until ICE
      // consent fails.
      await t.app.relay?.closeSpace(cast.spaceId);
    }
  }, 90_000);
});

describe('Subscription.relaySessionLost', () => {
  it('tells a listener at once that the worker carrying its session died, and the session it reopens carries the speaker again', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
    const pool = t.app.relay as RelayWorkerPool;
    await pool.ready();
    // Sessions left open would weigh on the placement below.
    await waitFor(() => pool.stats().sessions === 0, 'the earlier sessions to close', 30_000);
    let speaker: Connected<WrtcTestClient> | undefined;
    let listener: Connected<LibsrtpListener> | undefined;
    let again: LibsrtpListener | undefined;
    const socket = wsClient(t.url, cast.listener.credentials);
    const speakerSocket = wsClient(t.url, cast.speaker.credentials);
    try {
      speaker = await connectThroughApi(cast.speaker, cast.spaceGlobalId, (offer) =>
        connectWrtcClient(offer, { speak: true }),
      );
      listener = await connectThroughApi(cast.listener, cast.spaceGlobalId, connectLibsrtpListener);
      // Placed on the least loaded worker: not the speaker's, whose crash would take them too.
      expect(pool.workerOf(listener.sessionId)).not.toBe(pool.workerOf(speaker.sessionId));
      await waitFor(() => (listener?.received.length ?? 0) > 0, 'audio before the crash', 30_000);
      const lost = collect<{ relaySessionLost: { sessionId: string } }>(
        socket,
        RELAY_SESSION_LOST,
        { id: listener.sessionId },
      );
      const other = collect(speakerSocket, RELAY_SESSION_LOST, { id: speaker.sessionId });
      await sleep(200);

      const pid = pool.workerPids()[pool.workerOf(listener.sessionId) ?? -1];
      process.kill(pid ?? 0, 'SIGKILL');
      await lost.until((results) => results.length === 1, 5_000);
      expect(lost.results[0]?.data?.relaySessionLost.sessionId).toBe(listener.sessionId);
      await waitFor(() => lost.completed, 'the watch to complete', 1_000);
      expect(other.results).toEqual([]);

      again = await connectThroughApi(cast.listener, cast.spaceGlobalId, connectLibsrtpListener);
      await waitFor(() => (again?.received.length ?? 0) > 0, 'audio after the crash', 5_000);
      other.unsubscribe();
    } finally {
      await Promise.all([socket.dispose(), speakerSocket.dispose()]);
      await Promise.all([speaker?.close(), listener?.close(), again?.close()]);
    }
  }, 90_000);

  it("refuses to watch a session that is not the caller's", async () => {
    const cast = await liveSpaceWithCast(t);
    const listener = await connectThroughApi(
      cast.listener,
      cast.spaceGlobalId,
      connectLibsrtpListener,
    );
    const socket = wsClient(t.url, cast.cohost.credentials);
    try {
      const watch = collect(socket, RELAY_SESSION_LOST, { id: listener.sessionId });
      await waitFor(
        () => watch.completed || watch.failure !== undefined || watch.results.length > 0,
        'an answer',
      );
      expect(watch.results[0]?.errors?.[0]?.message).toBe(
        `RelaySession ${listener.sessionId} was not found.`,
      );
    } finally {
      await socket.dispose();
      await listener.close();
    }
  }, 60_000);
});
