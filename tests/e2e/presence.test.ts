import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { openWebApp, person } from './helpers/web-app.ts';

let t: TestApp;
beforeAll(async () => {
  if (hasChromium) {
    t = await startTestApp({
      hosting: { minFollowers: 0, minFollowersTicketed: 0 },
      // Short, so the test sees the end of it; long enough for a busy machine's browsers.
      presence: { timeoutMs: 5_000 },
    });
  }
});
afterAll(() => t?.stop());

describe.skipIf(!hasChromium)('presence in the web client', () => {
  it("takes a listener whose page is closed out of the host's room", async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      const host = await openWebApp(t.url, person('Maya Chen', 'maya'));
      opened.push(host);
      const listener = await openWebApp(t.url, person('Sam Rivera', 'sam'));
      opened.push(listener);
      const hostUser = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'maya' } });
      const space = await t.app.services.spaces.start(hostUser.id, { title: 'Who is here' });
      const spaceUrl = `${t.url}/spaces/${toGlobalId('Space', space.id)}`;
      await host.page.goto(spaceUrl);
      await host.page.getByRole('button', { name: /End space/ }).waitFor();
      await listener.page.goto(spaceUrl);
      await listener.page.getByRole('button', { name: 'Raise hand' }).waitFor();
      const listed = host.page.getByTestId('listener').filter({ hasText: 'Sam Rivera' });
      await listed.waitFor();

      await listener.close();
      await listed.waitFor({ state: 'detached', timeout: 60_000 });

      const sam = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'sam' } });
      const place = await t.app.prisma.participant.findUniqueOrThrow({
        where: { spaceId_userId: { spaceId: space.id, userId: sam.id } },
      });
      expect(place.leftAt).not.toBeNull();
      expect(await host.page.getByTestId('listener').count()).toBe(0);
    } finally {
      for (const browser of opened) await browser.close().catch(() => {});
    }
  });
});
