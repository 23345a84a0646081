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
      host: await t.participantId(space.id, host.id),
      speaker: await t.participantId(space.id, speaker.id),
    };

    const labs: Lab[] = [];
    const open = async (token: string | undefined) => {
      const lab = await joinLab(t.url, token ?? '', spaceGlobalId);
      labs.push(lab);
      return lab;
    };
    try {
      const hostLab = await open(host.credentials.token);
      const speakerLab = await open(speaker.credentials.token);
      const firstLab = await open(first.credentials.token);
      // Who each person present before the switch must keep hearing.
      const audience: [Lab, string[]][] = [
        [hostLab, [ids.speaker]],
        [speakerLab, [ids.host]],
        [firstLab, [ids.host, ids.speaker]],
      ];
      for (const [lab, speakers] of audience) {
        await eventually(
          () => lab.remotes(),
          (r) => speakers.every((id) => hears(r, id, 'mesh')),
        );
      }
      expect(await firstLab.mode()).toBe('MESH');

      // The fourth person moves everyone onto the relay while the others listen on.
      const secondLab = await open(second.credentials.token);
      for (const [lab, speakers] of [...audience, [secondLab, [ids.host, ids.speaker]] as const]) {
        await eventually(
          () => lab.remotes(),
          (r) => speakers.every((id) => hears(r, id, 'relay')),
          60_000,
        );
      }
      expect(await firstLab.mode()).toBe('RELAY');
      for (const [lab, speakers] of audience) {
        const acrossSwitch = await lab.audible();
        for (const id of speakers) {
          expect(acrossSwitch[id]?.source).toBe('relay');
          // No audible break while the source changed: the lab reads the played track's
          // packets from the connections' own stats every 50 ms (Opus sends one every 20 ms).
          expect(acrossSwitch[id]?.longestGapMs).toBeLessThan(500);
        }
      }

      // A tampered listener client sends its microphone into the relay anyway: nobody hears it.
      const secondId = await t.participantId(space.id, second.id);
      const droppedBefore = relayDropped();
      await secondLab.page.evaluate(async () => {
        // Bypasses the media module: puts a microphone on the relay connection's uplink.
        const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
        const made = (window as unknown as { peerConnections: RTCPeerConnection[] })
          .peerConnections;
        // The relay is the one ICE-lite peer; its offer has only the slots the space needs.
        const relay = made.find((pc) => pc.remoteDescription?.sdp.includes('a=ice-lite'));
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

      // A listener brought on stage while on the relay is heard by everyone.
      const firstId = await t.participantId(space.id, first.id);
      await services.stage.inviteToSpeak(host.id, space.id, first.id);
      await services.stage.acceptSpeakerInvitation(first.id, space.id);
      for (const lab of [hostLab, secondLab]) {
        await eventually(
          () => lab.remotes(),
          (r) => hears(r, firstId, 'relay'),
          60_000,
        );
      }
    } finally {
      for (const lab of labs) await lab.close();
    }
  });
});

function relayDropped() {
  return t.app.relay?.stats().droppedPackets ?? 0;
}
