import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually } from './helpers/lab.ts';
import {
  hears,
  hoursAheadInput,
  openWebApp,
  person,
  screenshot,
  selfParticipantId,
} from './helpers/web-app.ts';

const MIN_FOLLOWERS = 3;

let t: TestApp;
beforeAll(async () => {
  if (hasChromium)
    t = await startTestApp({
      hosting: { minFollowers: MIN_FOLLOWERS, minFollowersTicketed: MIN_FOLLOWERS },
    });
});
afterAll(() => t?.stop());

describe.skipIf(!hasChromium)('scheduled spaces in the web client', () => {
  it('a listener sets a reminder, the host starts, the listener is told and joins in one click', async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      const maya = person('Maya Chen', 'maya');
      const host = await openWebApp(t.url, maya);
      opened.push(host);
      const mayaUser = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'maya' } });
      await t.addFollowers(mayaUser.id, MIN_FOLLOWERS);

      // The host schedules a space for later from the start page.
      await host.page.goto(`${t.url}/start`);
      await host.page.getByText('Schedule for later').click();
      await host.page.getByLabel('Title').fill('Office hours: audio on the web');
      await host.page.getByLabel(/Topics/).fill('webrtc, audio');
      await host.page.getByLabel(/Starts/).fill(hoursAheadInput(2));
      await host.page.getByRole('button', { name: 'Schedule space' }).click();
      await host.page.waitForURL(/\/spaces\/.+/);
      const scheduledUrl = host.page.url();
      await host.page.getByRole('button', { name: 'Start now' }).waitFor();
      expect(await host.page.getByTestId('scheduled-space').textContent()).toContain('in 2 hours');
      await screenshot(host.page, 'scheduled-space-host');
      await host.page.setViewportSize({ width: 390, height: 844 });
      await screenshot(host.page, 'scheduled-space-phone');
      await host.page.setViewportSize({ width: 1280, height: 900 });

      // A listener finds it on the home page and sets a reminder.
      const sam = person('Sam Rivera', 'sam');
      const listener = await openWebApp(t.url, sam);
      opened.push(listener);
      await listener.page.goto(t.url);
      const card = listener.page
        .getByTestId('upcoming-space')
        .filter({ hasText: 'Office hours: audio on the web' });
      await card.waitFor();
      await card.getByRole('button', { name: 'Set reminder' }).click();
      await card.getByRole('button', { name: 'Reminder set' }).waitFor();
      expect(await card.getByTestId('reminder-count').textContent()).toBe('1 reminder');
      await screenshot(listener.page, 'home-upcoming');

      // The host sees the reminder count, then starts the space and speaks.
      await host.page.reload();
      await host.page.getByTestId('reminder-count').filter({ hasText: '1 person' }).waitFor();
      await host.page.getByRole('button', { name: 'Start now' }).click();
      await host.page.getByRole('button', { name: 'Unmute' }).click();
      await host.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
      expect(host.page.url()).toBe(scheduledUrl);

      // The listener, still on the home page, is told, and joins with one click.
      const toast = listener.page
        .getByTestId('notification-toast')
        .filter({ hasText: 'Maya Chen is live' });
      await toast.waitFor();
      expect(await toast.textContent()).toContain('Office hours: audio on the web');
      await listener.page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
      // The home page moved the space from Upcoming to Live now without a reload.
      await listener.page
        .getByRole('list', { name: 'Live spaces' })
        .getByRole('link', { name: /Office hours: audio on the web/ })
        .waitFor();
      expect(await card.count()).toBe(0);
      await screenshot(listener.page, 'notification-toast');
      await toast.getByRole('button', { name: 'Join' }).click();
      await listener.page.waitForURL(scheduledUrl);
      await listener.page.getByRole('button', { name: 'Raise hand' }).waitFor();
      await host.page.getByTestId('listener').filter({ hasText: 'Sam Rivera' }).waitFor();
      const mayaId = await selfParticipantId(host.page);
      await eventually(
        () => hears(listener.page, mayaId),
        (heard) => heard,
        45_000,
      );

      // Joining read the notification; the list still has it.
      await listener.page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
      await listener.page.getByRole('link', { name: 'Notifications', exact: true }).click();
      const item = listener.page.getByTestId('notification');
      await item.first().waitFor();
      expect(await item.count()).toBe(1);
      expect(await item.first().textContent()).toContain('Maya Chen is live');
    } finally {
      for (const browser of opened) await browser.close();
    }
  });

  it('tells reminder holders on the page when the host cancels', async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      const host = await t.createUser('Priya', { followers: MIN_FOLLOWERS });
      const space = await t.app.services.scheduling.schedule(host.id, {
        title: 'Late-night jazz records',
        scheduledStart: new Date(Date.now() + 3 * 86_400_000),
      });
      const jo = person('Jordan Lee', 'jordan');
      const listener = await openWebApp(t.url, jo);
      opened.push(listener);
      await listener.page.goto(`${t.url}/spaces/${toGlobalId('Space', space.id)}`);
      await listener.page.getByRole('button', { name: 'Set reminder' }).click();
      await listener.page.getByRole('button', { name: 'Reminder set' }).waitFor();
      expect(
        await listener.page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href'),
      ).toMatch(/\.ics$/);

      await t.app.services.scheduling.cancel(host.id, space.id);
      await listener.page
        .getByTestId('notification-toast')
        .filter({ hasText: 'Priya canceled “Late-night jazz records”' })
        .waitFor();
      await listener.page.getByText('This space was canceled').waitFor();
      expect(await listener.page.getByRole('button', { name: 'Reminder set' }).count()).toBe(0);
    } finally {
      for (const browser of opened) await browser.close();
    }
  });
});
