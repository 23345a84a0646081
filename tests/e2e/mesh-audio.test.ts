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
    const { signals } = t.app.services;
    const send = signals.send.bind(signals);
    const offeredAfterJoining: string[] = [];
    signals.send = (userId, spaceId, to, text) => {
      if (text.includes('"type":"offer"')) offeredAfterJoining.push(userId);
      return send(userId, spaceId, to, text);
    };

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
      // The newcomer offers to the stage, and its offers went with its join: the stage answered
      // those, and it never had to offer again once joined.
      expect(offeredAfterJoining).not.toContain(listener.id);
    } finally {
      for (const browser of browsers) await browser.close();
    }
  });
});
