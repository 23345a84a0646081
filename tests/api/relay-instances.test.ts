import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { connectLibsrtpListener, type LibsrtpListener } from '../helpers/libsrtp-listener.ts';
import { connectWrtcClient, type WrtcTestClient, waitFor } from '../helpers/relay-peers.ts';
import { canRunTwoInstances, startTwoInstances } from '../helpers/test-instances.ts';

type Instances = Awaited<ReturnType<typeof startTwoInstances>>;

describe.skipIf(!canRunTwoInstances)('one space on the relays of two instances', () => {
  let instances: Instances;

  beforeAll(async () => {
    // Behind a load balancer, each person's relay session opens on whichever instance took the
    // request: each instance runs its own relay worker.
    instances = await startTwoInstances({
      media: { ...defaultConfig.media, relay: { ...defaultConfig.media.relay, workers: 1 } },
    });
  }, 60_000);

  afterAll(() => instances?.stop());

  async function person(name: string) {
    const [first] = instances.apps;
    const unique = `${name}${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    return first.prisma.user.create({
      data: { id: crypto.randomUUID(), handle: unique, name, email: `${unique}@x.invalid` },
    });
  }

  it('lets every listener hear every speaker once, whichever instance either came through', async () => {
    const [first, second] = instances.apps;
    const host = await person('host');
    const speaker = await person('speaker');
    const listener = await person('listener');
    const space = await first.services.spaces.start(host.id, { title: 'Two relays', topics: [] });
    await first.services.spaces.join(speaker.id, space.id);
    await first.services.spaces.join(listener.id, space.id);
    await first.services.stage.inviteToSpeak(host.id, space.id, speaker.id);
    await second.services.stage.acceptSpeakerInvitation(speaker.id, space.id);
    await second.services.stage.setMuted(speaker.id, space.id, false);
    await first.services.stage.setMuted(host.id, space.id, false);

    const speakers: WrtcTestClient[] = [];
    const listeners: LibsrtpListener[] = [];
    const speak = async (app: typeof first, userId: string) => {
      const { sessionId, offer } = await app.services.relaySessions!.open(userId, space.id);
      const peer = await connectWrtcClient(offer, { speak: true });
      speakers.push(peer);
      await app.services.relaySessions!.answer(userId, sessionId, peer.answer);
    };
    const listen = async (app: typeof first, userId: string) => {
      const { sessionId, offer } = await app.services.relaySessions!.open(userId, space.id);
      const peer = await connectLibsrtpListener(offer);
      listeners.push(peer);
      await app.services.relaySessions!.answer(userId, sessionId, peer.answer);
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
