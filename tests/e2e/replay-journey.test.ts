import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedSpace } from '../helpers/recording-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { eventually } from './helpers/lab.ts';
import { playback } from './helpers/replay-page.ts';
import { openWebApp, person, screenshot } from './helpers/web-app.ts';

let t: TestApp;
let dir: string;
beforeAll(async () => {
  if (!hasChromium) return;
  dir = await mkdtemp(join(tmpdir(), 'amphi-replay-e2e-'));
  t = await startTestApp({ recordings: { dir } });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('replaying an ended space in the web client', () => {
  it('a guest plays a public recording; the highlighted line follows playback and a click seeks', async () => {
    const fixture = await recordedSpace(t);
    const guest = await openWebApp(t.url);
    try {
      const { page } = guest;
      await page.goto(`${t.url}/spaces/${fixture.spaceGlobalId}`);
      const lines = page.getByTestId('replay-line');
      await lines.first().waitFor();
      expect(await lines.count()).toBe(fixture.lines.length);
      expect(await lines.first().textContent()).toContain(fixture.lines[0]!.text);
      expect((await playback(page)).current).toBe(-1);

      await page.getByRole('button', { name: 'Play' }).click();
      // Each line is highlighted while the audio is inside it, in order.
      for (const [index, line] of fixture.lines.slice(0, 2).entries()) {
        const seen = await eventually(
          () => playback(page),
          (state) => state.current === index,
          30_000,
        );
        // A line lights up as its first word plays (50 ms of slack for seeks: replay-lines.ts).
        expect(seen.time).toBeGreaterThanOrEqual(line.startMs / 1000 - 0.05);
        expect(seen.time).toBeLessThan(line.endMs / 1000 + 1.5);
        expect(seen.paused).toBe(false);
      }
      await screenshot(page, 'replay-playing');

      const last = fixture.lines.length - 1;
      await lines.nth(last).getByRole('button').click();
      const jumped = await eventually(
        () => playback(page),
        (state) => state.current === last,
      );
      // Seeks land on the audio's own frame grid, a few ms either side.
      expect(jumped.time).toBeGreaterThanOrEqual(fixture.lines[last]!.startMs / 1000 - 0.05);
      expect(jumped.time).toBeLessThan(fixture.lines[last]!.endMs / 1000 + 1);
      await page.getByRole('button', { name: 'Pause' }).click();
      await eventually(
        () => playback(page),
        (state) => state.paused,
      );
    } finally {
      await guest.close();
    }
  });

  it('a listener cuts a 30 s clip from the player; its page plays just that part', async () => {
    const fixture = await recordedSpace(t, { minSeconds: 50 });
    const viewer = await openWebApp(t.url, person('Ines Duarte', 'ines'));
    try {
      const { page } = viewer;
      await page.goto(`${t.url}/spaces/${fixture.spaceGlobalId}`);
      const lines = page.getByTestId('replay-line');
      // Seek to the third line, and clip 30 s from there.
      await lines.nth(2).getByRole('button').click();
      const from = (await playback(page)).time;
      await page.getByRole('textbox', { name: 'Clip title' }).fill('Meeting time');
      await page.getByRole('button', { name: 'Clip from here' }).click();
      await page.getByTestId('clip-link').click();
      await page.getByRole('heading', { name: 'Meeting time' }).waitFor();

      const clip = await t.app.prisma.clip.findFirstOrThrow({
        where: { recordingId: fixture.recording.id },
      });
      expect(clip.startMs / 1000).toBeCloseTo(from, 1);
      expect(clip.endMs - clip.startMs).toBe(30_000);
      // The page shows only the lines spoken within the clip, first the one it was cut at.
      const inClip = fixture.lines.filter(
        (line) => line.endMs > clip.startMs && line.startMs < clip.endMs,
      );
      await expect.poll(() => lines.count()).toBe(inClip.length);
      expect(await lines.first().textContent()).toContain(fixture.lines[2]!.text);

      // Its audio is the clip alone: 30 s long, and it plays from the clip's start.
      await page.getByRole('button', { name: 'Play' }).click();
      const playing = await eventually(
        () => playback(page),
        (state) => state.time > 0.5 && state.current === 0,
      );
      expect(playing.paused).toBe(false);
      const duration = await page.evaluate(
        () => document.querySelector<HTMLAudioElement>('[data-testid="replay-audio"]')?.duration,
      );
      expect(duration).toBeCloseTo(30, 0);
      await screenshot(page, 'clip-page');
    } finally {
      await viewer.close();
    }
  });
});
