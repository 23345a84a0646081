import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually, joinLab, type RemoteLevel } from './helpers/lab.ts';
import { hears, openWebApp } from './helpers/web-app.ts';

let t: TestApp;
beforeAll(async () => {
  if (hasChromium)
    t = await startTestApp({ hosting: { minFollowers: 0, minFollowersTicketed: 0 } });
});
afterAll(() => t?.stop());

/** Where the web client plays `participantId` from: 'mesh', 'relay', or null. */
const sourceOf = (page: Page, participantId: string) =>
  page.evaluate((id) => {
    type Remote = { source: string };
    const amphi = (window as unknown as { amphi?: { room: { remotes(): Map<string, Remote> } } })
      .amphi;
    return amphi?.room.remotes().get(id)?.source ?? null;
  }, participantId);

const heardOver = (remotes: RemoteLevel[], participantId: string, source: string, after = 50) =>
  remotes.some(
    (r) =>
      r.participantId === participantId && r.source === source && r.packets > after && r.level > 0,
  );

describe.skipIf(!hasChromium)('listening without an account', () => {
  it('a guest hears a small public space through the relay while its members stay on the mesh', async () => {
    const host = await t.createUser('host');
    // Three Chromiums in all (host, member, guest): a fourth is more than two cores carry.
    const members = [await t.createUser('member')];
    const space = await t.app.services.spaces.start(host.id, { title: 'Open to all', topics: [] });
    const spaceGlobalId = toGlobalId('Space', space.id);
    const hostId = await t.participantId(space.id, host.id);
    const labs = [];
    let guest: Awaited<ReturnType<typeof openWebApp>> | null = null;
    try {
      const hostLab = await joinLab(t.url, host.credentials.token ?? '', spaceGlobalId);
      labs.push(hostLab);
      for (const member of members) {
        labs.push(await joinLab(t.url, member.credentials.token ?? '', spaceGlobalId));
      }
      const listeners = labs.slice(1);
      for (const lab of listeners) {
        await eventually(
          () => lab.remotes(),
          (remotes) => heardOver(remotes, hostId, 'mesh'),
        );
      }
      expect(await hostLab.mode()).toBe('MESH');

      guest = await openWebApp(t.url);
      await guest.page.goto(`${t.url}/spaces/${spaceGlobalId}`, { timeout: 90_000 });
      await guest.page.getByText('Listening as a guest').waitFor();
      const page = guest.page;
      await eventually(
        () => hears(page, hostId),
        (heard) => heard,
        60_000,
      );
      expect(await sourceOf(page, hostId)).toBe('relay');

      // The space stayed a mesh: the host publishes to the relay besides its mesh peers, and the
      // members go on hearing the host over the mesh, with no relay connection of their own.
      expect(await hostLab.mode()).toBe('MESH');
      const hostStats = await hostLab.page.evaluate(() =>
        (
          window as unknown as {
            lab: { room: { stats(): { relay: { state: string } | null } } };
          }
        ).lab.room.stats(),
      );
      expect(hostStats.relay?.state).toBe('connected');
      for (const lab of listeners) {
        const before = (await lab.remotes()).find((r) => r.participantId === hostId)?.packets ?? 0;
        await eventually(
          () => lab.remotes(),
          (remotes) => heardOver(remotes, hostId, 'mesh', before + 50),
        );
        const relay = await lab.page.evaluate(
          () =>
            (
              window as unknown as { lab: { room: { stats(): { relay: unknown } } } }
            ).lab.room.stats().relay,
        );
        expect(relay).toBeNull();
      }
      const room = await t.anonymous<{
        space: { mediaMode: string; relayAudience: boolean; participantCount: number };
      }>('query ($id: ID!) { space(id: $id) { mediaMode relayAudience participantCount } }', {
        id: spaceGlobalId,
      });
      expect(room.data?.space).toEqual({
        mediaMode: 'MESH',
        relayAudience: true,
        participantCount: 2,
      });
    } finally {
      await guest?.close();
      for (const lab of labs) await lab.close();
    }
  }, 300_000);
});
