import type { Page } from 'playwright-core';
import { build } from 'vite';
import { defaultConfig } from '../../server/config.ts';
import { openBrowser } from '../../tests/e2e/helpers/chromium.ts';
import { speakThroughRelay } from '../../tests/helpers/caption-operations.ts';
import { parseMediaPlaylist } from '../../tests/helpers/hls-segments.ts';
import { liveSpaceWithCast } from '../../tests/helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../../tests/helpers/test-app.ts';
import { onsetDetectorScript, type PlayerState } from './onset-detector.ts';
import { watchServerSide } from './server-latency.ts';

const RATE = 48_000;
const FRAME_SAMPLES = 480;
/** Silence the speaker sends until the tone is written in; far more than a round takes. */
const SPEECH_SECONDS = 90;
const TONE_SECONDS = 3;
/** A listener usually arrives at a broadcast that has run a while: a full start-up window. */
const SEGMENTS_BEFORE_LISTENER = 4;

export type LatencyRound = {
  round: number;
  /** The speaker's first tone frame handed to WebRTC → first heard in the Chromium player. */
  heardMs: number | 'failed';
  /** Server side: the tone's first packet at the relay → a playlist listing its segment. */
  relayToListedMs: number | null;
  /** Player side: that playlist → heard (hls.js's distance behind the live edge, mostly). */
  listedToHeardMs: number | null;
  /** What the player had buffered ahead of its playhead when the tone was sent (s). */
  bufferedAheadS: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const playerState = (page: Page) =>
  page.evaluate('window.__amphiPlayer') as Promise<PlayerState | undefined>;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(20);
    value = await read();
  }
  return value;
}

async function oneRound(t: TestApp, page: Page, round: number): Promise<LatencyRound> {
  const cast = await liveSpaceWithCast(t);
  await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
  const info = await t.app.services.broadcast.info(
    { id: cast.spaceId, hostId: cast.host.id, state: 'LIVE' },
    null,
  );
  const playlistUrl = new URL(info.url ?? '', t.url).href;
  const speech = new Int16Array(SPEECH_SECONDS * RATE);
  let lastFrame = -1;
  let toneFrame = Number.POSITIVE_INFINITY;
  let sentAt: number | null = null;
  const speaker = await speakThroughRelay(cast.speaker, cast.spaceGlobalId, speech, (frame) => {
    lastFrame = frame;
    if (frame === toneFrame) sentAt = Date.now();
  });
  const server = await watchServerSide(t, cast.spaceId, playlistUrl);
  const failed = (why: string): LatencyRound => {
    console.error(`round ${round}: ${why}`);
    return {
      round,
      heardMs: 'failed',
      relayToListedMs: null,
      listedToHeardMs: null,
      bufferedAheadS: 0,
    };
  };
  try {
    const segments = await until(
      async () => {
        const response = await fetch(playlistUrl);
        return response.ok ? parseMediaPlaylist(await response.text()).segments.length : 0;
      },
      (count) => count >= SEGMENTS_BEFORE_LISTENER,
      30_000,
    );
    if (segments < SEGMENTS_BEFORE_LISTENER) return failed('the broadcast did not start');
    await page.goto(`${t.url}/spaces/${cast.spaceGlobalId}`, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Listen via broadcast' }).click({ timeout: 30_000 });
    // Steady playback first: the tone must not arrive while hls.js is still starting.
    const steady = await until(
      () => playerState(page),
      (state) => Boolean(state?.attached && !state.paused && state.currentTime > 3),
      30_000,
    );
    if (!steady?.attached || steady.currentTime <= 3) return failed('the player never played');
    await page.evaluate('window.__amphiPlayer.armed = true');
    // Written a few frames ahead of what the speaker has read, so the onset is a clean edge.
    toneFrame = lastFrame + 5;
    const from = toneFrame * FRAME_SAMPLES;
    for (let i = from; i < from + TONE_SECONDS * RATE && i < speech.length; i++) {
      speech[i] = Math.round(Math.sin((2 * Math.PI * 440 * (i - from)) / RATE) * 12_000);
    }
    const heard = await until(
      () => playerState(page),
      (state) => state?.heardAt != null,
      30_000,
    );
    const { relayAt, listedAt } = await server.stop();
    const heardAt = heard?.heardAt ?? null;
    if (sentAt === null || heardAt === null) return failed('the tone was never heard');
    return {
      round,
      heardMs: Math.round(heardAt - sentAt),
      relayToListedMs: relayAt !== null && listedAt !== null ? listedAt - relayAt : null,
      listedToHeardMs: listedAt !== null ? Math.round(heardAt - listedAt) : null,
      bufferedAheadS: Number((steady.ahead ?? 0).toFixed(1)),
    };
  } finally {
    await server.stop();
    await page.goto('about:blank');
    await speaker.close();
    await t.app.services.spaces.end(cast.host.id, cast.spaceId);
  }
}

/**
 * Broadcast latency as a listener hears it: a speaker (a libwebrtc peer through the relay) sends
 * silence, then a tone; a guest in Chromium on the web client's room page chooses "Listen via
 * broadcast" (the client's own hls.js player and configuration) and a WebAudio analyser on its
 * <audio> element notes when the tone is first heard. Both ends read this machine's wall clock.
 */
export async function benchPlayerLatency(rounds: number): Promise<LatencyRound[]> {
  // The room page is the built web client, built here so the player measured is this checkout's.
  await build({ logLevel: 'error' });
  const t = await startTestApp({ hosting: { ...defaultConfig.hosting, minFollowers: 1 } });
  const browser = await openBrowser();
  await browser.context.addInitScript(onsetDetectorScript);
  const rows: LatencyRound[] = [];
  try {
    for (let round = 1; round <= rounds; round++) rows.push(await oneRound(t, browser.page, round));
  } finally {
    await browser.close();
    await t.stop();
  }
  return rows;
}
