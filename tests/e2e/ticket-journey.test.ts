import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTicketingApp,
  TICKETED_FOLLOWERS,
  type TicketingApp,
} from '../helpers/ticket-fixtures.ts';
import { hasChromium } from './helpers/chromium.ts';
import { hoursAheadInput, openWebApp, person, screenshot } from './helpers/web-app.ts';

let a: TicketingApp;
beforeAll(async () => {
  if (!hasChromium) return;
  a = await startTicketingApp();
  // The stand-in has no payment page: Checkout "pays" at once and returns to Amphi.
  a.stripe.skipPaymentPageTo(`${a.t.url}/tickets/return`);
});
afterAll(() => a?.stop());

describe.skipIf(!hasChromium)('ticketed spaces in the web client', () => {
  it('a listener buys a ticket through Checkout, waits for it, and gets into the space', async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      // The host puts two $5 tickets on sale from the start page.
      const maya = person('Maya Chen', 'maya');
      const hostBrowser = await openWebApp(a.t.url, maya);
      opened.push(hostBrowser);
      const host = await a.t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'maya' } });
      await a.t.addFollowers(host.id, TICKETED_FOLLOWERS);
      const hostPage = hostBrowser.page;
      await hostPage.goto(`${a.t.url}/start`);
      await hostPage.getByText('Schedule for later').click();
      await hostPage.getByLabel('Title').fill('Masterclass: mixing voices');
      await hostPage.getByLabel(/Starts/).fill(hoursAheadInput(2));
      await hostPage.getByLabel('Sell tickets').check();
      await hostPage.getByLabel('Price').fill('5');
      await hostPage.getByLabel('Number of tickets').fill('2');
      await screenshot(hostPage, 'schedule-ticketed');
      await hostPage.getByRole('button', { name: 'Schedule space' }).click();
      await hostPage.waitForURL(/\/spaces\/.+/);
      const space = await a.t.app.prisma.space.findFirstOrThrow({
        where: { hostId: host.id },
        include: { ticketOffer: true },
      });
      expect(space.ticketOffer).toMatchObject({ priceMinor: 500, currency: 'usd', seats: 2 });

      const sam = person('Sam Rivera', 'sam');
      const buyer = await openWebApp(a.t.url, sam);
      opened.push(buyer);
      await buyer.page.goto(a.t.url);
      const card = buyer.page
        .getByTestId('upcoming-space')
        .filter({ hasText: 'Masterclass: mixing voices' });
      expect(await card.getByTestId('ticket-chip').textContent()).toContain('$5.00 · 2 left');
      await card.locator('.space-card-link').click();
      await buyer.page.getByTestId('ticket-panel').waitFor();
      expect(await buyer.page.getByTestId('seats-left').textContent()).toContain(
        '2 of 2 seats left',
      );
      await screenshot(buyer.page, 'ticketed-space');

      await buyer.page.getByRole('button', { name: 'Buy a ticket' }).click();
      await buyer.page.waitForURL(/\/tickets\/return\?session_id=cs_test_/);
      await buyer.page.getByTestId('ticket-waiting').waitFor();
      const sessionId = new URL(buyer.page.url()).searchParams.get('session_id') ?? '';

      // Stripe tells Amphi the payment went through; the waiting page notices on its own.
      const delivered = await a.webhook(
        'checkout.session.completed',
        a.stripe.completeSession(sessionId),
      );
      expect(delivered.status).toBe(200);
      await buyer.page.getByRole('heading', { name: 'You have a ticket' }).waitFor();
      await screenshot(buyer.page, 'ticket-confirmed');

      await buyer.page.goto(`${a.t.url}/tickets`);
      expect(await buyer.page.getByTestId('my-tickets').textContent()).toContain(
        'Masterclass: mixing voices',
      );

      // Live: the holder gets the room, a guest gets the box office.
      await a.t.app.services.scheduling.start(host.id, space.id);
      await buyer.page.goto(`${a.t.url}/tickets/return?session_id=${sessionId}`);
      await buyer.page.getByTestId('open-space').click();
      await buyer.page.getByRole('button', { name: 'Raise hand' }).waitFor();

      const guest = await openWebApp(a.t.url);
      opened.push(guest);
      await guest.page.goto(buyer.page.url());
      await guest.page.getByRole('heading', { name: 'This is a ticketed space' }).waitFor();
      expect(await guest.page.getByTestId('seats-left').textContent()).toContain(
        '1 of 2 seats left',
      );
    } finally {
      for (const page of opened) await page.close();
    }
  });
});
