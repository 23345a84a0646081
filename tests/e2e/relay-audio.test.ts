import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually, joinLab, type RemoteLevel } from './helpers/lab.ts';

type Lab = Awaited<ReturnType<typeof joinLab>>;

let t: TestApp;
beforeAll(async () => {
  if (!hasChromium) return;
  t = await startTestApp({
    hosting: { minFollowers: 0, minFollowersTicketed: 0 },
    // Three people fit in the mesh; the fourth moves the space onto the relay.
    media: { ...defaultConfig.media, policy: { maxMeshParticipants: 3, maxUplinkStreams: 8 } },
  });
});
afterAll(() => t?.stop());

const participantGlobalId = async (spaceId: string, userId: string) =>
  toGlobalId(
    'Participant',
    (
      await t.app.prisma.participant.findUniqueOrThrow({
        where: { spaceId_userId: { spaceId, userId } },
      })
    ).id,
  );

const hears = (remotes: RemoteLevel[], participantId: string, source?: string) =>
  remotes.some(
    (r) =>
      r.participantId === participantId &&
      r.packets > 25 &&
      r.level > 0 &&
      (!source || r.source === source),
  );

const packetsFrom = (remotes: RemoteLevel[], participantId: string) =>
  remotes.find((r) => r.participantId === participantId)?.packets ?? 0;

describe.skipIf(!hasChromium)('audio in a growing space (mesh → relay)', () => {
  it('keeps every listener hearing every speaker across the switch, and enforces roles on the relay', async () => {
    const { services } = t.app;
    const host = await t.createUser('host');
    const speaker = await t.createUser('speaker');
    const first = await t.createUser('first');
    const second = await t.createUser('second');
    const space = await services.spaces.start(host.id, { title: 'Growing', topics: [] });
    await services.spaces.join(speaker.id, space.id);
    await services.stage.inviteToSpeak(host.id, space.id, speaker.id);
    await services.stage.acceptSpeakerInvitation(speaker.id, space.id);
    const spaceGlobalId = toGlobalId('Space', space.id);
    const ids = {
      host: await participantGlobalId(space.id, host.id),
      speaker: await participantGlobalId(space.id, speaker.id),
    };

    const labs: Lab[] = [];
    const open = async (token: string | undefined) => {
      const lab = await joinLab(t.url, token ?? '', spaceGlobalId);
      labs.push(lab);
      return lab;
    };
    try {
      await open(host.credentials.token);
      await open(speaker.credentials.token);
      const firstLab = await open(first.credentials.token);
      await eventually(
        () => firstLab.remotes(),
        (r) => hears(r, ids.host, 'mesh') && hears(r, ids.speaker, 'mesh'),
      );
      expect(await firstLab.mode()).toBe('MESH');

      // The fourth person moves everyone onto the relay while the first listener listens on.
      const secondLab = await open(second.credentials.token);
      for (const lab of [firstLab, secondLab]) {
        await eventually(
          () => lab.remotes(),
          (r) => hears(r, ids.host, 'relay') && hears(r, ids.speaker, 'relay'),
          60_000,
        );
      }
      expect(await firstLab.mode()).toBe('RELAY');
      const acrossSwitch = await firstLab.audible();
      for (const id of [ids.host, ids.speaker]) {
        expect(acrossSwitch[id]?.source).toBe('relay');
        // Heard without an audible gap while the source changed (samples every 200 ms).
        expect(acrossSwitch[id]?.longestGapMs).toBeLessThan(1000);
      }

      // A tampered listener client sends its microphone into the relay anyway: nobody hears it.
      const secondId = await participantGlobalId(space.id, second.id);
      const droppedBefore = relayDropped();
      await secondLab.page.evaluate(async () => {
        // Bypasses the media module: puts a microphone on the relay connection's uplink.
        const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
        const made = (window as unknown as { peerConnections: RTCPeerConnection[] })
          .peerConnections;
        const relay = made.find((pc) => pc.getTransceivers().length > 10);
        const [uplink] = relay?.getTransceivers() ?? [];
        if (!uplink) throw new Error('no relay connection');
        uplink.direction = 'sendonly';
        await uplink.sender.replaceTrack(mic.getAudioTracks()[0] ?? null);
      });
      await eventually(
        async () => relayDropped(),
        (dropped) => dropped > droppedBefore + 50,
      );
      for (const lab of labs.filter((l) => l !== secondLab)) {
        expect(packetsFrom(await lab.remotes(), secondId)).toBe(0);
      }

      // A demoted speaker stops being heard through the relay; the host still is.
      await services.stage.moveToListener(host.id, space.id, speaker.id);
      await eventually(
        async () => {
          const before = packetsFrom(await firstLab.remotes(), ids.speaker);
          await new Promise((resolve) => setTimeout(resolve, 1500));
          return { before, after: packetsFrom(await firstLab.remotes(), ids.speaker) };
        },
        ({ before, after }) => before === after,
      );
      const hostBefore = packetsFrom(await firstLab.remotes(), ids.host);
      await eventually(
        async () => packetsFrom(await firstLab.remotes(), ids.host),
        (packets) => packets > hostBefore,
      );
    } finally {
      for (const lab of labs) await lab.close();
    }
  });
});

function relayDropped() {
  return t.app.relay?.stats().droppedPackets ?? 0;
}
