import type { Page } from 'playwright-core';
import { openBrowser } from './chromium.ts';

export type Audible = Record<
  string,
  { source: string | null; packets: number; longestGapMs: number }
>;
export type RemoteLevel = { participantId: string; source: string; packets: number; level: number };

/** One person in a space through the media lab page, in their own Chromium. */
export async function joinLab(baseUrl: string, token: string, spaceGlobalId: string) {
  const browser = await openBrowser();
  const { page } = browser;
  page.on('pageerror', (error) => console.error('page error:', error.message));
  // Keeps every peer connection the page makes within reach, to play a tampered client.
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const made: RTCPeerConnection[] = [];
    Object.assign(window, { peerConnections: made });
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        made.push(this);
      }
    };
  });
  await page.goto(
    `${baseUrl}/lab/media.html?token=${encodeURIComponent(token)}&space=${encodeURIComponent(spaceGlobalId)}`,
  );
  await page.waitForFunction(
    () => {
      const lab = (window as unknown as { lab?: { ready?: boolean; error?: string } }).lab;
      if (lab?.error) throw new Error(lab.error);
      return lab?.ready === true;
    },
    undefined,
    { timeout: 30_000 },
  );
  return {
    page,
    close: browser.close,
    /** Remote participants heard now, with inbound packets and audio level. */
    remotes: () => remotesOf(page),
    audible: () =>
      page.evaluate(() => (window as unknown as { lab: { audible(): Audible } }).lab.audible()),
    selfId: () =>
      page.evaluate(
        () =>
          (window as unknown as { lab: { state(): { self: { id: string } } } }).lab.state().self.id,
      ),
    mode: () =>
      page.evaluate(
        () =>
          (window as unknown as { lab: { room: { stats(): { mode: string } } } }).lab.room.stats()
            .mode,
      ),
  };
}

function remotesOf(page: Page): Promise<RemoteLevel[]> {
  return page.evaluate(() => {
    type Remote = {
      participantId: string;
      source: string;
      health: { packetsReceived: number; level: number };
    };
    const lab = (window as unknown as { lab: { room: { remotes(): Map<string, Remote> } } }).lab;
    return [...lab.room.remotes().values()].map((remote) => ({
      participantId: remote.participantId,
      source: remote.source,
      packets: remote.health.packetsReceived,
      level: remote.health.level,
    }));
  });
}

/** Polls until `check` passes, failing with the last reason after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await probe();
  }
  return last;
}
