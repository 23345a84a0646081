import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually, joinLab } from './helpers/lab.ts';
import { hears, openWebApp } from './helpers/web-app.ts';

let t: TestApp;
beforeAll(async () => {
  if (hasChromium)
    t = await startTestApp({ hosting: { minFollowers: 0, minFollowersTicketed: 0 } });
});
afterAll(() => t?.stop());

describe.skipIf(!hasChromium)('listening without an account', () => {
  it('lets a signed-out visitor hear a public space through the relay, unseen and unheard', async () => {
    const host = await t.createUser('host');
    const space = await t.app.services.spaces.start(host.id, { title: 'Open to all', topics: [] });
    const spaceGlobalId = toGlobalId('Space', space.id);
    const hostId = await t.participantId(space.id, host.id);
    const hostLab = await joinLab(t.url, host.credentials.token ?? '', spaceGlobalId);
    const guest = await openWebApp(t.url);
    try {
      await guest.page.goto(`${t.url}/spaces/${spaceGlobalId}`);
      await guest.page.getByText('Listening as a guest').waitFor();
      await eventually(
        () => hears(guest.page, hostId),
        (heard) => heard,
        60_000,
      );
      // The space moved to the relay for the guest; the host keeps hearing nobody new.
      expect(await hostLab.mode()).toBe('RELAY');
      const room = await t.anonymous<{ space: { participantCount: number } }>(
        'query ($id: ID!) { space(id: $id) { participantCount } }',
        { id: spaceGlobalId },
      );
      expect(room.data?.space.participantCount).toBe(1);
    } finally {
      await guest.close();
      await hostLab.close();
    }
  });
});
