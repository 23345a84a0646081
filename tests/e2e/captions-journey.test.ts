import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';
import { hasChromium, writeWav } from './helpers/chromium.ts';
import { eventually } from './helpers/lab.ts';
import { openWebApp, person } from './helpers/web-app.ts';

let t: TestApp;
let speechFile: string;
beforeAll(async () => {
  if (!hasChromium) return;
  t = await startTestApp({ hosting: { minFollowers: 0, minFollowersTicketed: 0 } });
  // flite's sentences as the host's microphone (Chromium loops the file).
  const speech = await synthesiseAll(TEST_SENTENCES, 48_000);
  speechFile = writeWav(path.join(tmpdir(), 'amphi-captions-speech.wav'), speech, 48_000);
});
afterAll(() => t?.stop());

/** Words of the spoken sentences a listener should see (recognition may miss some). */
const spokenWords = new Set(
  TEST_SENTENCES.join(' ')
    .toLowerCase()
    .split(/\W+/)
    .filter((word) => word.length > 3),
);

describe.skipIf(!hasChromium)('live captions in the web client', () => {
  it('a host turns captions on, speakers are told, and a listener reads what is said', async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      const hostPerson = person('Maya Chen', 'maya');
      const host = await openWebApp(t.url, hostPerson, speechFile);
      opened.push(host);
      const hostUser = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'maya' } });
      const space = await t.app.services.spaces.start(hostUser.id, {
        title: 'Captioned talk',
        topics: [],
      });
      const spaceUrl = `${t.url}/spaces/${toGlobalId('Space', space.id)}`;
      await host.page.goto(spaceUrl);
      await host.page.getByRole('button', { name: 'Unmute' }).click();
      await host.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();

      const listener = await openWebApp(t.url, person('Sam Rivera', 'sam'));
      opened.push(listener);
      await listener.page.goto(spaceUrl);
      await listener.page.getByRole('button', { name: 'Raise hand' }).waitFor();
      // Listeners are not asked: only the host team can switch captions.
      expect(await listener.page.getByRole('button', { name: 'Turn captions on' }).count()).toBe(0);

      await host.page.getByRole('button', { name: 'Turn captions on' }).click();
      await expect
        .poll(() => host.page.getByTestId('captions-consent').textContent())
        .toContain('what you say on stage is transcribed');
      expect(await listener.page.getByTestId('captions-consent').count()).toBe(0);

      const captionBar = listener.page.getByRole('region', { name: 'Live captions' });
      const seen = await eventually(
        async () =>
          (await captionBar.getByTestId('caption-line').allTextContents())
            .join(' ')
            .toLowerCase()
            .split(/\W+/)
            .filter((word) => spokenWords.has(word)),
        (words) => new Set(words).size >= 3,
        90_000,
      );
      expect(new Set(seen).size).toBeGreaterThanOrEqual(3);
      expect(await captionBar.getByTestId('caption-line').first().textContent()).toContain(
        'Maya Chen:',
      );
    } finally {
      for (const browser of opened.reverse()) await browser.close();
    }
  });
});
