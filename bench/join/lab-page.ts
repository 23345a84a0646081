import type { BrowserContext, Page } from 'playwright-core';
import type { Audible } from '../../tests/e2e/helpers/lab.ts';
import type { RoomConnection } from '../../web/src/media/index.ts';

/** What web/lab/media-lab.ts puts on `window`. */
export type LabWindow = {
  lab?: {
    ready?: boolean;
    error?: string;
    room: RoomConnection;
    state(): { mode: string; roster: unknown[] };
    audible(): Audible;
  };
};

/**
 * tsx compiles with esbuild's keepNames, which wraps named inner functions in `__name(...)`; the
 * functions these benchmarks hand to the page are serialized, so the page needs its own no-op.
 */
export async function prepareContext(context: BrowserContext) {
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
}

export const labUrl = (baseUrl: string, token: string, spaceGlobalId: string) =>
  `${baseUrl}/lab/media.html?token=${encodeURIComponent(token)}&space=${encodeURIComponent(spaceGlobalId)}`;

/** A fresh page of `context` on the lab page, once it has joined and connected its media. */
export async function openLab(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('  page error:', error.message));
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const { lab } = window as LabWindow;
      if (lab?.error) throw new Error(lab.error);
      return lab?.ready === true;
    },
    undefined,
    { timeout: 30_000, polling: 50 },
  );
  return page;
}

/**
 * Waits until the page plays each of `participantIds` from `source` with packets and a level,
 * as `room.remotes()` reports them; resolves with when that was seen (this process's clock).
 */
export async function waitHearing(
  page: Page,
  participantIds: readonly string[],
  source: 'mesh' | 'relay',
  timeoutMs = 60_000,
): Promise<number> {
  await page.waitForFunction(
    ({ ids, from }) => {
      const { lab } = window as LabWindow;
      if (!lab?.ready) return false;
      const remotes = lab.room.remotes();
      return ids.every((id) => {
        const remote = remotes.get(id);
        return (
          remote?.source === from && remote.health.packetsReceived > 0 && remote.health.level > 0
        );
      });
    },
    { ids: participantIds, from: source },
    { timeout: timeoutMs, polling: 50 },
  );
  return performance.now();
}

export const audible = (page: Page) =>
  page.evaluate(() => {
    const { lab } = window as LabWindow;
    if (!lab) throw new Error('no lab on the page');
    return lab.audible();
  });

/** Waits until the page's roster (people present) has `size` entries. */
export async function waitRosterSize(page: Page, size: number) {
  await page.waitForFunction(
    (expected) => (window as LabWindow).lab?.state().roster.length === expected,
    size,
    { timeout: 10_000, polling: 50 },
  );
}
