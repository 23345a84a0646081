import type { BrowserContext, Page } from 'playwright-core';
import { person, signUpInto } from '../../tests/e2e/helpers/web-app.ts';
import { type FirstAudioMarks, firstAudioProbe, readFirstAudio } from './first-audio-probe.ts';
import { firstSoundTap } from './first-sound-tap.ts';
import { startTrace, type TraceEvent } from './listener-trace.ts';
import {
  type RoomRequest,
  readRoomRequests,
  roomRequestsProbe,
  waitWarmedUp,
} from './room-requests.ts';

/**
 * How long a person's pointer rests on a card before they click it. The app may prepare
 * meanwhile, as it may while the lab page's Listen button waits; a click the instant the card
 * appears is no one's.
 */
const POINTER_REST_MS = 300;

/**
 * Opens the web client's home page, waits until it lists the live space and has warmed WebRTC up
 * (as main.tsx does on opening), points at the space's card for `POINTER_REST_MS`, runs
 * `beforeClick` (to start a trace, say) and clicks the card: the single-page app navigates to the
 * room as a user's click does.
 */
export async function clickSpaceCard(
  page: Page,
  baseUrl: string,
  spaceGlobalId: string,
  beforeClick?: () => Promise<void>,
) {
  await page.goto(`${baseUrl}/`);
  const card = page.locator(`a[href="/spaces/${spaceGlobalId}"]`);
  await card.waitFor({ state: 'visible', timeout: 30_000 });
  await waitWarmedUp(page);
  await card.hover();
  await page.waitForTimeout(POINTER_REST_MS);
  await beforeClick?.();
  await card.click();
}

/**
 * A new user (signed up through the API, before anything is timed) in a fresh page of
 * `listener` clicks the live space on the home page; returns the first-audio marks (`joined`:
 * JoinSpace answered) and the requests the page made after the click. The page closes and the
 * session cookie goes before this returns; the user is still in the space. With `trace`, the
 * page is traced from the click until it played both speakers.
 */
export async function joinFromHome(
  listener: BrowserContext,
  baseUrl: string,
  spaceGlobalId: string,
  handle: string,
  deadlineMs: number,
  trace?: (events: TraceEvent[]) => void,
  /** One more probe: its init script, and what it reads of the page once its audio is in. */
  watch?: { initScript: () => void; inspect(page: Page): Promise<void> },
): Promise<{ userId: string; join: FirstAudioMarks; requests: RoomRequest[] }> {
  const userId = await signUpInto(listener, baseUrl, person('Listener', handle));
  const page = await listener.newPage();
  try {
    page.on('pageerror', (error) => console.error('  page error:', error.message));
    await page.addInitScript(firstSoundTap);
    await page.addInitScript(firstAudioProbe, 2);
    await page.addInitScript(roomRequestsProbe);
    if (watch) await page.addInitScript(watch.initScript);
    let tracing: Awaited<ReturnType<typeof startTrace>> | undefined;
    await clickSpaceCard(page, baseUrl, spaceGlobalId, async () => {
      if (trace) tracing = await startTrace(page);
    });
    const join = await readFirstAudio(page, deadlineMs);
    if (tracing) trace?.(await tracing.stop());
    await watch?.inspect(page);
    const requests = await readRoomRequests(page);
    const joined = requests.find((request) => request.name === 'JoinSpace')?.answered;
    if (joined !== undefined && joined <= deadlineMs) join.joined = joined;
    return { userId, join, requests };
  } finally {
    await page.close();
    await listener.clearCookies();
  }
}
