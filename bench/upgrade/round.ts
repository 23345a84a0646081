import type { BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../../tests/helpers/test-app.ts';
import { audible, type LabWindow, labUrl, openLab, waitHearing } from '../join/lab-page.ts';
import { stagedSpace, waitForMode } from '../join/stage.ts';

/** One Chromium per person, reused by every round with fresh pages. */
export type Browsers = Record<'host' | 'speaker' | 'first' | 'second' | 'joiner', BrowserContext>;

export type Gap = { page: string; speaker: string; gapMs: number; source: string | null };

export type RoundResult = {
  /** From opening the pages until every one heard every speaker through the mesh. */
  meshReadyMs: number;
  /** From the joiner's page navigation until every page heard every speaker through the relay. */
  switchMs: number;
  /** Each pre-existing page's longest gap per speaker it hears, read once the switch is done. */
  gaps: Gap[];
  /** The same reading taken just before the join: the longest gap on a steady mesh. */
  meshGapMs: number;
  /** Audio flow before the join plus the switch: the window the floor page is watched for. */
  windowMs: number;
  /** The longest gap a fresh relay-only page saw over `windowMs`, over both speakers. */
  floorMs: number;
};

/** Each page's longest gap so far per speaker it hears, from the lab's sampler. */
async function readGaps(audience: [string, Page, string[]][], hostId: string): Promise<Gap[]> {
  const perPage = await Promise.all(
    audience.map(async ([name, page, ids]) => {
      const heard = await audible(page);
      return ids.map((id) => ({
        page: name,
        speaker: id === hostId ? 'host' : 'speaker',
        gapMs: heard[id]?.longestGapMs ?? Number.NaN,
        source: heard[id]?.source ?? null,
      }));
    }),
  );
  return perPage.flat();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const OPEN_RELAY = 'mutation ($id: ID!) { openRelaySession(spaceId: $id) { __typename } }';

/** Waits until the page's room holds a connected relay connection (publishing beside the mesh). */
async function waitRelayConnected(page: Page) {
  await page.waitForFunction(
    () => (window as LabWindow).lab?.room.stats().relay?.state === 'connected',
    undefined,
    { timeout: 60_000, polling: 50 },
  );
}

/**
 * A space in mesh with host and speaker on stage and two listeners, in which a fifth person's
 * join moves everyone onto the relay; then a relay-only listener watched as long, for the floor.
 * Every page is closed and the space ended before it returns.
 */
export async function runRound(
  t: TestApp,
  browsers: Browsers,
  flowMs: number,
  title: string,
  /** A guest listens through the relay before the join, so the stage already publishes there. */
  guest = false,
) {
  const space = await stagedSpace(t, title);
  const [first, second, joiner, watcher] = await Promise.all(
    ['first', 'second', 'joiner', 'watcher'].map((name) => t.createUser(name)),
  );
  if (!first || !second || !joiner || !watcher) throw new Error('users were not created');
  const url = (token: string | undefined) => labUrl(t.url, token ?? '', space.spaceGlobalId);
  const { host, speaker } = space.ids;
  const pages: Page[] = [];
  const open = async (context: BrowserContext, token: string | undefined) => {
    const page = await openLab(context, url(token));
    pages.push(page);
    return page;
  };
  try {
    const meshStarted = performance.now();
    const [hostPage, speakerPage, firstPage, secondPage] = await Promise.all([
      open(browsers.host, space.host.credentials.token),
      open(browsers.speaker, space.speaker.credentials.token),
      open(browsers.first, first.credentials.token),
      open(browsers.second, second.credentials.token),
    ]);
    const audience: [string, Page, string[]][] = [
      ['host', hostPage, [speaker]],
      ['speaker', speakerPage, [host]],
      ['listener 1', firstPage, [host, speaker]],
      ['listener 2', secondPage, [host, speaker]],
    ];
    await Promise.all(audience.map(([, page, ids]) => waitHearing(page, ids, 'mesh')));
    const meshReadyMs = performance.now() - meshStarted;
    await waitForMode(t, space.spaceId, 'MESH');
    if (guest) {
      // Its session is never answered: the relay audience it sets is what matters here.
      await t.anonymous(OPEN_RELAY, { id: space.spaceGlobalId });
      await Promise.all([hostPage, speakerPage].map(waitRelayConnected));
      await waitForMode(t, space.spaceId, 'MESH');
    }
    await sleep(flowMs);
    const meshGapMs = Math.max(...(await readGaps(audience, host)).map((gap) => gap.gapMs));

    const joinedAt = performance.now();
    const joinerPage = await browsers.joiner.newPage();
    joinerPage.on('pageerror', (error) => console.error('  page error:', error.message));
    pages.push(joinerPage);
    await joinerPage.goto(url(joiner.credentials.token));
    await Promise.all(
      [...audience, ['joiner', joinerPage, [host, speaker]] as const].map(([, page, ids]) =>
        waitHearing(page, ids, 'relay'),
      ),
    );
    const switchMs = performance.now() - joinedAt;
    const gaps = await readGaps(audience, host);
    // The floor: the same sampler on a page that only ever heard the relay, for as long.
    await joinerPage.close();
    const windowMs = flowMs + switchMs;
    const watcherPage = await open(browsers.joiner, watcher.credentials.token);
    await waitHearing(watcherPage, [host, speaker], 'relay');
    await sleep(windowMs);
    const floor = await audible(watcherPage);
    const floorMs = Math.max(...[host, speaker].map((id) => floor[id]?.longestGapMs ?? Number.NaN));
    return { meshReadyMs, switchMs, gaps, meshGapMs, windowMs, floorMs } satisfies RoundResult;
  } finally {
    // Ended first, so the server is not still writing to the pages' sockets as they close.
    await t.app.services.spaces.end(space.host.id, space.spaceId);
    for (const page of pages) if (!page.isClosed()) await page.close();
  }
}
