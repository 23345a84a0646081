import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/app.ts';
import { defaultConfig } from '../../server/config.ts';
import { connectLibsrtpListener, type LibsrtpListener } from '../helpers/libsrtp-listener.ts';
import { closedPort, type RedisServer, startRedisServer } from '../helpers/redis-server.ts';
import { connectWrtcClient, type WrtcTestClient, waitFor } from '../helpers/relay-peers.ts';
import { canRunTwoInstances, startTwoInstances } from '../helpers/test-instances.ts';

type Instances = Awaited<ReturnType<typeof startTwoInstances>>;

// Behind a load balancer, each person's relay session opens on whichever instance took the
// request: each instance runs its own relay worker.
const oneWorker = {
  media: { ...defaultConfig.media, relay: { ...defaultConfig.media.relay, workers: 1 } },
};

async function person(app: App, name: string) {
  const unique = `${name}${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  return app.prisma.user.create({
    data: { id: crypto.randomUUID(), handle: unique, name, email: `${unique}@x.invalid` },
  });
}

/** Opens `userId`'s relay session in the space through `app`, answered by `connect`'s peer. */
async function relayPeer<Peer extends { readonly answer: string }>(
  app: App,
  userId: string,
  spaceId: string,
  connect: (offer: string) => Promise<Peer>,
): Promise<Peer> {
  const { sessionId, offer } = await app.services.relaySessions!.open(userId, spaceId);
  const peer = await connect(offer);
  await app.services.relaySessions!.answer(userId, sessionId, peer.answer);
  return peer;
}

const speaking = (offer: string) => connectWrtcClient(offer, { speak: true });

describe.skipIf(!canRunTwoInstances)('one space on the relays of two instances', () => {
  let instances: Instances;

  beforeAll(async () => {
    instances = await startTwoInstances(oneWorker);
  }, 60_000);

  afterAll(() => instances?.stop());

  it('lets every listener hear every speaker once, whichever instance either came through', async () => {
    const [first, second] = instances.apps;
    const host = await person(first, 'host');
    const speaker = await person(first, 'speaker');
    const listener = await person(first, 'listener');
    const space = await first.services.spaces.start(host.id, { title: 'Two relays', topics: [] });
    await first.services.spaces.join(speaker.id, space.id);
    await first.services.spaces.join(listener.id, space.id);
    await first.services.stage.inviteToSpeak(host.id, space.id, speaker.id);
    await second.services.stage.acceptSpeakerInvitation(speaker.id, space.id);
    await second.services.stage.setMuted(speaker.id, space.id, false);
    await first.services.stage.setMuted(host.id, space.id, false);

    const speakers: WrtcTestClient[] = [];
    const listeners: LibsrtpListener[] = [];
    const speak = async (app: App, userId: string) => {
      speakers.push(await relayPeer(app, userId, space.id, speaking));
    };
    const listen = async (app: App, userId: string) => {
      const peer = await relayPeer(app, userId, space.id, connectLibsrtpListener);
      listeners.push(peer);
      return peer;
    };
    try {
      // The host speaks through the first instance, the speaker through the second; the
      // listener came through the second, so the host reaches them only across instances.
      await speak(first, host.id);
      await speak(second, speaker.id);
      const across = await listen(second, listener.id);
      await waitFor(
        () => new Set(across.received.map((packet) => packet.mid)).size >= 2,
        'both speakers at the listener',
        30_000,
      );
      await waitFor(() => across.received.length >= 100, 'enough audio', 30_000);
      // Each speaker in one slot of their own, every packet once: nothing piped back and forth.
      const bySlot = new Map<string, Set<number>>();
      for (const packet of across.received) {
        const ssrcs = bySlot.get(packet.mid) ?? new Set();
        ssrcs.add(packet.ssrc);
        bySlot.set(packet.mid, ssrcs);
      }
      expect(bySlot.size).toBe(2);
      for (const mid of bySlot.keys()) {
        const numbers = across.received
          .filter((packet) => packet.mid === mid)
          .map((packet) => packet.sequenceNumber);
        expect(new Set(numbers).size).toBe(numbers.length);
      }
    } finally {
      await Promise.all([...speakers, ...listeners].map((peer) => peer.close()));
    }
  }, 90_000);
});

describe.skipIf(!canRunTwoInstances)('one space on two instances, one started before Redis', () => {
  let instances: Instances | undefined;
  let redis: RedisServer | undefined;
  const peers: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.close()));
    await instances?.stop();
    await redis?.stop();
  });

  it('a speaker on the other instance reaches the listeners of the one started before Redis', async () => {
    const port = await closedPort();
    let spaceId = '';
    let host = '';
    let early: LibsrtpListener | undefined;
    instances = await startTwoInstances(
      { ...oneWorker, redisUrl: `redis://127.0.0.1:${port}` },
      {},
      async (first) => {
        // Containers start in any order: this instance's relay pool meets no Redis, and its worker
        // holds the space before the pool can tell the other instance's pool so.
        host = (await person(first, 'host')).id;
        const listener = await person(first, 'early');
        spaceId = (await first.services.spaces.start(host, { title: 'Late Redis', topics: [] })).id;
        await first.services.stage.setMuted(host, spaceId, false);
        await first.services.spaces.join(listener.id, spaceId);
        early = await relayPeer(first, listener.id, spaceId, connectLibsrtpListener);
        peers.push(early);
        await waitFor(early.isConnected, 'the early listener connected');
        redis = await startRedisServer(port);
      },
    );
    const [, second] = instances.apps;
    const late = await person(second, 'late');
    await second.services.spaces.join(late.id, spaceId);
    const across = await relayPeer(second, late.id, spaceId, connectLibsrtpListener);
    peers.push(across);
    peers.push(await relayPeer(second, host, spaceId, speaking));

    await waitFor(() => across.received.length >= 50, 'the speaker on their own instance', 30_000);
    await waitFor(
      () => (early?.received.length ?? 0) >= 50,
      'the speaker at the listener of the instance started before Redis',
      30_000,
    );
  }, 90_000);
});
