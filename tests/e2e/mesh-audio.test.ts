import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually, joinLab, type RemoteLevel } from './helpers/lab.ts';

let t: TestApp;
beforeAll(async () => {
  if (hasChromium)
    t = await startTestApp({ hosting: { minFollowers: 0, minFollowersTicketed: 0 } });
});
afterAll(() => t?.stop());

const hears = (remotes: RemoteLevel[], participantId: string) =>
  remotes.some((r) => r.participantId === participantId && r.packets > 50 && r.level > 0);

describe.skipIf(!hasChromium)('audio in a small space (browser mesh)', () => {
  it('lets three browsers hear everyone on stage, and nobody hears the listener', async () => {
    const host = await t.createUser('host');
    const speaker = await t.createUser('speaker');
    const listener = await t.createUser('listener');
    const space = await t.app.services.spaces.start(host.id, { title: 'Mesh', topics: [] });
    await t.app.services.spaces.join(speaker.id, space.id);
    await t.app.services.stage.inviteToSpeak(host.id, space.id, speaker.id);
    await t.app.services.stage.acceptSpeakerInvitation(speaker.id, space.id);
    const spaceGlobalId = toGlobalId('Space', space.id);

    const browsers = [];
    try {
      for (const user of [host, speaker, listener]) {
        browsers.push(await joinLab(t.url, user.credentials.token ?? '', spaceGlobalId));
      }
      const [hostPage, speakerPage, listenerPage] = browsers as [
        (typeof browsers)[0],
        (typeof browsers)[0],
        (typeof browsers)[0],
      ];
      const ids = {
        host: await t.participantId(space.id, host.id),
        speaker: await t.participantId(space.id, speaker.id),
        listener: await t.participantId(space.id, listener.id),
      };
      expect(await hostPage.mode()).toBe('MESH');
      await eventually(
        () => listenerPage.remotes(),
        (r) => hears(r, ids.host) && hears(r, ids.speaker),
      );
      await eventually(
        () => hostPage.remotes(),
        (r) => hears(r, ids.speaker),
      );
      await eventually(
        () => speakerPage.remotes(),
        (r) => hears(r, ids.host),
      );
      for (const page of [hostPage, speakerPage]) {
        expect((await page.remotes()).some((r) => r.participantId === ids.listener)).toBe(false);
      }
    } finally {
      for (const browser of browsers) await browser.close();
    }
  });
  it('lets a listener invited to the stage be heard over the connection the host offered it', async () => {
    const host = await t.createUser('host');
    const space = await t.app.services.spaces.start(host.id, { title: 'Promotion', topics: [] });
    const hostId = await t.participantId(space.id, host.id);
    // A listener whose id sorts before the host's: on stage the smaller id offers, so the
    // promotion swaps the pair's planned initiator, and the live connection must survive it.
    const candidates = [];
    for (let i = 0; i < 12; i++) {
      const user = await t.createUser(`listener${i}`);
      await t.app.services.spaces.join(user.id, space.id);
      candidates.push({ user, id: await t.participantId(space.id, user.id) });
    }
    const chosen = candidates.find((candidate) => candidate.id < hostId);
    if (!chosen) throw new Error('no listener id sorts before the host id');
    for (const other of candidates) {
      if (other !== chosen) await t.app.services.spaces.leave(other.user.id, space.id);
    }
    const listener = chosen.user;
    const spaceGlobalId = toGlobalId('Space', space.id);
    const browsers = [];
    try {
      for (const user of [host, listener]) {
        browsers.push(await joinLab(t.url, user.credentials.token ?? '', spaceGlobalId));
      }
      const [hostPage, listenerPage] = browsers as [(typeof browsers)[0], (typeof browsers)[0]];
      const ids = { host: hostId, listener: chosen.id };
      await eventually(
        () => listenerPage.remotes(),
        (r) => hears(r, ids.host),
      );
      const connections = () =>
        listenerPage.page.evaluate(
          () =>
            (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections.filter(
              (pc) => pc.connectionState !== 'closed',
            ).length,
        );
      const before = await connections();
      await t.app.services.stage.inviteToSpeak(host.id, space.id, listener.id);
      await t.app.services.stage.acceptSpeakerInvitation(listener.id, space.id);
      await eventually(
        () => hostPage.remotes(),
        (r) => hears(r, ids.listener),
      );
      expect(await connections()).toBe(before);
      expect(hears(await listenerPage.remotes(), ids.host)).toBe(true);
    } finally {
      for (const browser of browsers) await browser.close();
    }
  });
});
