import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { auditLayout } from './helpers/layout-audit.ts';
import { openWebApp, person, screenshot } from './helpers/web-app.ts';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

// Display names hold at most 50 characters; one unbroken word is the hardest to fit.
const LONG_NAME = 'Maximiliana'.padEnd(50, 'x');
const LONG_WORD_NAME = 'Bartholomew'.padEnd(50, 'o');
const LONG_TITLE =
  'Supercalifragilisticexpialidociousnessandfriends: a very long conversation title that fills it';

let t: TestApp;
beforeAll(async () => {
  if (hasChromium)
    t = await startTestApp({ hosting: { minFollowers: 1, minFollowersTicketed: 1 } });
});
afterAll(() => t?.stop());

/** Someone created straight in the database, with a display name the sign-up form would take. */
async function longNamed(handle: string, name: string) {
  const user = await t.createUser(handle);
  await t.app.prisma.user.update({ where: { id: user.id }, data: { name } });
  return user;
}

describe.skipIf(!hasChromium)('the web client on stage', () => {
  it('tells a host who goes live that they are muted, asks again for a refused microphone, and unmutes in one click', async () => {
    const host = await openWebApp(t.url, person('Noor Haddad', 'noor'));
    try {
      const { page } = host;
      const noor = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'noor' } });
      await t.addFollowers(noor.id, 1);
      // Chromium's fake device always grants; this plays a person who refuses the room's request.
      await page.addInitScript(() => {
        const devices = navigator.mediaDevices;
        const grant = devices.getUserMedia.bind(devices);
        devices.getUserMedia = (constraints) =>
          (window as unknown as { refuseMicrophone?: boolean }).refuseMicrophone
            ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
            : grant(constraints);
      });
      await page.goto(`${t.url}/start`);
      await page.getByLabel('Title').fill('Morning questions');
      await page.getByRole('button', { name: 'Allow microphone' }).click();
      await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
      await page.evaluate(() => Object.assign(window, { refuseMicrophone: true }));
      await page.getByRole('button', { name: 'Go live' }).click();
      await page.waitForURL(/\/spaces\/.+/);

      const prompt = page.getByTestId('mic-prompt');
      await prompt.getByText('Microphone access was blocked').waitFor();
      expect(await prompt.getAttribute('role')).toBe('status');
      expect(await prompt.textContent()).toContain('You are muted.');
      await page.evaluate(() => Object.assign(window, { refuseMicrophone: false }));
      await prompt.getByRole('button', { name: 'Allow microphone' }).click();
      await prompt.getByText('No one hears you until you press Unmute').waitFor();
      const controls = page.getByRole('toolbar', { name: 'Your controls' });
      const unmute = controls.getByRole('button', { name: 'Unmute' });
      expect(await unmute.getAttribute('aria-describedby')).toBe(await prompt.getAttribute('id'));
      await screenshot(page, 'space-host-muted-prompt');

      await unmute.click();
      await controls.getByRole('button', { name: 'Mute', exact: true }).waitFor();
      await prompt.waitFor({ state: 'detached' });
      // Muting again is a choice now: the button says so, the prompt stays away.
      await controls.getByRole('button', { name: 'Mute', exact: true }).click();
      await unmute.waitFor();
      expect(await prompt.count()).toBe(0);
    } finally {
      await host.close();
    }
  });
});

describe.skipIf(!hasChromium)('the web client’s layout', () => {
  it('shows home, a live space (host and listener) and not-found with nothing hidden or cut, at three sizes', async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    const problems: string[] = [];
    const look = async (page: Page, shot: string) => {
      await screenshot(page, shot);
      for (const problem of await auditLayout(page)) problems.push(`${shot}: ${problem}`);
    };
    try {
      const hostPerson = person(LONG_NAME, 'maximiliana');
      const host = await openWebApp(t.url, hostPerson);
      opened.push(host);
      const hostUser = await t.app.prisma.user.findUniqueOrThrow({
        where: { handle: hostPerson.handle },
      });
      await t.addFollowers(hostUser.id, 1);

      // A second live room and an upcoming one, so the home page shows cards with long names.
      const other = await longNamed('bart', LONG_WORD_NAME);
      await t.addFollowers(other.id, 1);
      const otherSpace = await t.app.services.spaces.start(other.id, {
        title: LONG_TITLE,
        topics: ['averyveryverylongtopicname_30c', 'music'],
      });
      const guest = await longNamed('guest', `Guest${'e'.repeat(45)}`);
      await t.app.services.spaces.join(guest.id, otherSpace.id);
      await t.app.services.scheduling.schedule(other.id, {
        title: `Later ${LONG_TITLE}`.slice(0, 100),
        topics: [],
        scheduledStart: new Date(Date.now() + 2 * 3_600_000),
      });

      await host.page.goto(`${t.url}/start`);
      await host.page.getByLabel('Title').fill(LONG_TITLE);
      await host.page.getByLabel(/Topics/).fill('averyveryverylongtopicname_30c, design');
      await host.page.getByRole('button', { name: 'Allow microphone' }).click();
      await host.page.getByRole('meter', { name: 'Microphone level' }).waitFor();
      await host.page.getByRole('button', { name: 'Go live' }).click();
      await host.page.waitForURL(/\/spaces\/.+/);
      const spaceUrl = host.page.url();

      // A listener with a long name raises a hand, so the host's queue and list show it too.
      const listenerPerson = person(`Listener${'z'.repeat(42)}`, 'listener');
      const listener = await openWebApp(t.url, listenerPerson);
      opened.push(listener);
      await listener.page.goto(spaceUrl);
      await listener.page.getByRole('button', { name: 'Raise hand' }).click();
      await host.page.getByTestId('speaker-request').waitFor();
      await host.page.getByTestId('listener').first().waitFor();

      const unknownSpace = `${t.url}/spaces/${encodeURIComponent(toGlobalId('Space', randomUUID()))}`;
      for (const viewport of VIEWPORTS) {
        const size = `${viewport.width}x${viewport.height}`;
        await host.page.setViewportSize(viewport);
        await listener.page.setViewportSize(viewport);

        await look(host.page, `layout-${size}-space-host`);

        await listener.page.goto(spaceUrl);
        await listener.page.getByRole('button', { name: /Raise hand|Lower hand/ }).waitFor();
        await look(listener.page, `layout-${size}-space-listener`);

        await listener.page.goto(t.url);
        await listener.page.getByTestId('upcoming-space').waitFor();
        await look(listener.page, `layout-${size}-home`);

        await listener.page.goto(unknownSpace);
        await listener.page.getByTestId('not-found').waitFor();
        await look(listener.page, `layout-${size}-space-not-found`);

        await listener.page.goto(`${t.url}/no/such/page`);
        await listener.page.getByTestId('not-found').waitFor();
        await look(listener.page, `layout-${size}-not-found`);
      }

      expect(problems, `layout problems:\n${problems.join('\n')}`).toEqual([]);
    } finally {
      for (const browser of opened) await browser.close();
    }
  });
});
