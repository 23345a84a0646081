import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually, joinLab } from './helpers/lab.ts';
import { openWebApp } from './helpers/web-app.ts';

let t: TestApp;
beforeAll(async () => {
  if (hasChromium)
    t = await startTestApp({ hosting: { minFollowers: 0, minFollowersTicketed: 0 } });
});
afterAll(() => t?.stop());

describe.skipIf(!hasChromium)('listening over the broadcast', () => {
  it('a guest who chooses the broadcast hears the host through hls.js, and is told it lags', async () => {
    const host = await t.createUser('host');
    const space = await t.app.services.spaces.start(host.id, { title: 'Broadcast', topics: [] });
    const spaceGlobalId = toGlobalId('Space', space.id);
    // The host's Chromium speaks a tone from its fake microphone.
    const hostLab = await joinLab(t.url, host.credentials.token ?? '', spaceGlobalId);
    const guest = await openWebApp(t.url);
    try {
      const page = guest.page;
      await page.goto(`${t.url}/spaces/${spaceGlobalId}`, { timeout: 90_000 });
      await page.getByRole('button', { name: 'Listen via broadcast' }).click();
      await page.getByTestId('broadcast-behind').waitFor();
      // Heard: the element plays on (fMP4 Opus through Media Source Extensions) and what it
      // plays is not silence.
      const heard = await eventually(
        () =>
          page.evaluate(async () => {
            const audio = document.querySelector<HTMLAudioElement>('[data-testid=broadcast-audio]');
            if (!audio || audio.currentTime < 2) {
              return { playing: false, level: 0, error: audio?.error?.message ?? null };
            }
            const context = new AudioContext();
            const stream = (
              audio as HTMLAudioElement & { captureStream(): MediaStream }
            ).captureStream();
            const analyser = context.createAnalyser();
            context.createMediaStreamSource(stream).connect(analyser);
            await new Promise((resolve) => setTimeout(resolve, 500));
            const samples = new Float32Array(analyser.fftSize);
            analyser.getFloatTimeDomainData(samples);
            await context.close();
            const level = Math.max(...samples.map(Math.abs));
            return { playing: !audio.paused, level, error: null };
          }),
        (result) => result.playing && result.level > 0.01,
        60_000,
      );
      expect(heard.level).toBeGreaterThan(0.01);
    } finally {
      await guest.close();
      await hostLab.close();
    }
  });
});
