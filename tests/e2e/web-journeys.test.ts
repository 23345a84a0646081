import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually } from './helpers/lab.ts';
import { hears, openWebApp, person, screenshot, selfParticipantId } from './helpers/web-app.ts';

const MIN_FOLLOWERS = 3;

let t: TestApp;
beforeAll(async () => {
  if (hasChromium) {
    t = await startTestApp({
      hosting: { minFollowers: MIN_FOLLOWERS, minFollowersTicketed: MIN_FOLLOWERS },
    });
  }
});
afterAll(() => t?.stop());

describe.skipIf(!hasChromium)('the web client', () => {
  it('hosts, joins, brings a listener on stage, reacts and removes, all from browsers', async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      // The host signs up through the page, then gains the followers hosting needs.
      const host = await openWebApp(t.url);
      opened.push(host);
      const maya = person('Maya Chen', 'maya');
      await host.page.goto(`${t.url}/signup`);
      await host.page.getByLabel('Name').fill(maya.name);
      await host.page.getByLabel('Handle').fill(maya.handle);
      await host.page.getByLabel('Email').fill(maya.email);
      await host.page.getByLabel('Password').fill(maya.password);
      await host.page.getByRole('button', { name: 'Create account' }).click();
      await host.page.getByRole('link', { name: 'Start a space' }).first().waitFor();
      const hostUser = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'maya' } });
      await t.addFollowers(hostUser.id, MIN_FOLLOWERS);

      await host.page.getByRole('link', { name: 'Start a space' }).first().click();
      await host.page.getByLabel('Title').fill('Designing for the ear');
      await host.page.getByLabel(/Topics/).fill('design, audio, web');
      await host.page.getByRole('button', { name: 'Allow microphone' }).click();
      await host.page.getByRole('meter', { name: 'Microphone level' }).waitFor();
      await host.page.getByRole('button', { name: 'Go live' }).click();
      await host.page.waitForURL(/\/spaces\/.+/);
      await host.page.getByRole('button', { name: 'Unmute' }).click();
      await host.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
      const spaceUrl = host.page.url();

      // Two listeners find it on the home page and join.
      const sam = person('Sam Rivera', 'sam');
      const jo = person('Jordan Lee', 'jordan');
      const listenerA = await openWebApp(t.url, sam);
      opened.push(listenerA);
      const listenerB = await openWebApp(t.url, jo);
      opened.push(listenerB);
      await listenerA.page.goto(t.url);
      await listenerA.page.getByRole('link', { name: /Designing for the ear/ }).click();
      await listenerA.page.waitForURL(spaceUrl);
      await listenerB.page.goto(spaceUrl);
      for (const page of [listenerA.page, listenerB.page]) {
        await page.getByRole('button', { name: 'Raise hand' }).waitFor();
      }
      await host.page.getByTestId('listener').filter({ hasText: 'Jordan Lee' }).waitFor();
      // Two more rooms, so the home page shows a list.
      for (const [host, title, topics, guests] of [
        ['Priya', 'Late-night jazz records', ['music', 'vinyl'], ['Tomas', 'Aiko']],
        ['Omar', 'Shipping a design system', ['design', 'frontend'], ['Lena']],
      ] as const) {
        const owner = await t.createUser(host, { followers: MIN_FOLLOWERS });
        const space = await t.app.services.spaces.start(owner.id, { title, topics: [...topics] });
        for (const name of guests) {
          const guest = await t.createUser(name);
          await t.app.services.spaces.join(guest.id, space.id);
          await t.app.services.stage.inviteToSpeak(owner.id, space.id, guest.id);
          await t.app.services.stage.acceptSpeakerInvitation(guest.id, space.id);
        }
      }
      await listenerB.page.goto(t.url);
      await listenerB.page.getByRole('link', { name: /Designing for the ear/ }).waitFor();
      await screenshot(listenerB.page, 'home');
      await listenerB.page.goto(spaceUrl);
      await listenerB.page.getByRole('button', { name: 'Raise hand' }).waitFor();

      // Sam raises a hand; the host accepts; Jordan hears Sam.
      await listenerA.page.getByRole('button', { name: 'Raise hand' }).click();
      const request = host.page.getByTestId('speaker-request').filter({ hasText: 'Sam Rivera' });
      await request.waitFor();
      await request.getByRole('button', { name: 'Accept Sam Rivera' }).click();
      await listenerA.page.getByRole('button', { name: 'Unmute' }).click();
      await listenerA.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
      const samId = await selfParticipantId(listenerA.page);
      const mayaId = await selfParticipantId(host.page);
      await eventually(
        () => hears(listenerB.page, samId),
        (heard) => heard,
        45_000,
      );
      await eventually(
        () => hears(listenerB.page, mayaId),
        (heard) => heard,
      );
      const samTile = host.page.locator(
        `[data-testid="speaker-tile"][data-participant="${samId}"]`,
      );
      await samTile.waitFor();
      await screenshot(host.page, 'space-host');
      await screenshot(listenerB.page, 'space-listener');

      // Jordan reacts; everyone sees it float.
      await listenerB.page.getByRole('button', { name: 'React' }).click();
      await listenerB.page.getByRole('button', { name: 'React 👏' }).click();
      await Promise.all(
        [host.page, listenerA.page, listenerB.page].map((page) =>
          page.getByTestId('floating-reaction').getByAltText('👏').first().waitFor(),
        ),
      );

      await listenerB.page.keyboard.press('Escape');
      await listenerB.page.setViewportSize({ width: 390, height: 844 });
      await screenshot(listenerB.page, 'space-phone');
      await listenerB.page.setViewportSize({ width: 1280, height: 900 });

      // The host invites Sam to co-host; Sam becomes co-host only by accepting.
      await samTile.getByRole('button', { name: 'Actions for Sam Rivera' }).click();
      await host.page.getByRole('menuitem', { name: 'Invite to co-host' }).click();
      const invitation = listenerA.page.getByTestId('cohost-invitation');
      await invitation.waitFor();
      expect(await samTile.textContent()).not.toContain('Co-host');
      await invitation.getByRole('button', { name: 'Become co-host' }).click();
      await invitation.waitFor({ state: 'detached' });
      await eventually(
        () => samTile.textContent(),
        (text) => text?.includes('Co-host') ?? false,
      );

      // The host removes Jordan, who cannot come back.
      const jordanTile = host.page.getByTestId('listener').filter({ hasText: 'Jordan Lee' });
      await jordanTile.getByRole('button', { name: 'Actions for Jordan Lee' }).click();
      host.page.once('dialog', (dialog) => {
        expect(dialog.message()).toContain('Remove Jordan Lee from this space?');
        void dialog.accept();
      });
      await host.page.getByRole('menuitem', { name: 'Remove from space' }).click();
      const closed = listenerB.page.getByTestId('space-closed');
      await closed.waitFor();
      expect(await closed.textContent()).toContain('You were removed');
      await listenerB.page.reload();
      await closed.waitFor();
      expect(await closed.textContent()).toContain('can’t rejoin');
      await host.page.getByTestId('listener').filter({ hasText: 'Jordan Lee' }).waitFor({
        state: 'detached',
      });
    } finally {
      for (const browser of opened) await browser.close();
    }
  });

  it('tells someone with too few followers why they cannot host', async () => {
    const lee = person('Lee Novak', 'lee');
    const browser = await openWebApp(t.url, lee);
    try {
      const { page } = browser;
      await page.goto(`${t.url}/start`);
      const eligibility = page.getByTestId('hosting-eligibility');
      await eligibility.waitFor();
      expect(await eligibility.textContent()).toContain(
        `You need ${MIN_FOLLOWERS} more followers to host`,
      );
      await page.getByLabel('Title').fill('My first space');
      await page.getByRole('button', { name: 'Allow microphone' }).click();
      await page.getByRole('meter', { name: 'Microphone level' }).waitFor();
      await page.getByRole('button', { name: 'Go live' }).click();
      const error = page.getByTestId('start-error');
      await error.waitFor();
      expect(await error.textContent()).toContain(`You need ${MIN_FOLLOWERS} more followers`);
      await screenshot(page, 'start-not-enough-followers');

      await page.goto(`${t.url}/@lee`);
      await page.getByTestId('hosting-eligibility').waitFor();
      expect(await page.getByTestId('hosting-eligibility').textContent()).toContain(
        `You need ${MIN_FOLLOWERS} more followers to host`,
      );

      // Lee renames themself; the profile and the header's avatar follow.
      await page.getByRole('button', { name: 'Edit profile' }).click();
      await page.getByLabel('Name').fill('Lee N.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Lee N.' }).waitFor();
      await page.getByRole('img', { name: 'Lee N.' }).first().waitFor();
      const saved = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'lee' } });
      expect(saved.name).toBe('Lee N.');
    } finally {
      await browser.close();
    }
  });
});
