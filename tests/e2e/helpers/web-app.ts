import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { signUp } from '../../helpers/accounts.ts';
import { openBrowser } from './chromium.ts';

export const screenshotDir = path.join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'artifacts',
  'screenshots',
);

export type Person = { name: string; handle: string; email: string; password: string };

export const person = (name: string, handle: string): Person => ({
  name,
  handle,
  email: `${handle}@web.amphi.invalid`,
  password: 'correct horse battery',
});

/**
 * A Chromium (fake microphone playing `microphone`, a WAV file, or a tone) on the web client,
 * optionally signed in through the API.
 */
export async function openWebApp(baseUrl: string, who?: Person, microphone?: string) {
  const browser = await openBrowser(microphone);
  const { page, context } = browser;
  // A laptop-sized window, tall enough that screenshots show the room above the control bar.
  await page.setViewportSize({ width: 1280, height: 900 });
  page.on('pageerror', (error) => console.error(`[${who?.handle ?? 'anon'}] page error:`, error));
  if (who) await signUpInto(context, baseUrl, who);
  return { page, context, close: browser.close };
}

/**
 * Signs `who` up through the API, as the sign-up form does, and gives `context` the session
 * cookie; returns the new user's id.
 */
export async function signUpInto(context: BrowserContext, baseUrl: string, who: Person) {
  const { cookie, response, body } = await signUp(baseUrl, who);
  if (!response.ok) throw new Error(`sign-up failed: ${response.status}`);
  await context.addCookies(
    cookie
      .split('; ')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl };
      }),
  );
  return (body as { user: { id: string } }).user.id;
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  // Let entrance animations settle so the picture shows the resting layout.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

/** The participant id the app's room connection speaks as (exposed on `window.amphi`). */
export const selfParticipantId = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { amphi: { selfParticipantId: string } }).amphi.selfParticipantId,
  );

/** Whether this page's room connection plays `participantId` with audio flowing. */
export const hears = (page: Page, participantId: string) =>
  page.evaluate((id) => {
    type Remote = { health: { packetsReceived: number; level: number } };
    const amphi = (window as unknown as { amphi?: { room: { remotes(): Map<string, Remote> } } })
      .amphi;
    const remote = amphi?.room.remotes().get(id);
    return Boolean(remote && remote.health.packetsReceived > 50 && remote.health.level > 0);
  }, participantId);

/** A `datetime-local` value `hours` from now in the browser's zone (the machine's). */
export function hoursAheadInput(hours: number): string {
  const date = new Date(Date.now() + hours * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
