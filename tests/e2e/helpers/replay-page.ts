import type { Page } from 'playwright-core';

/** Which transcript line the replay page highlights (-1: none), and where its audio element is. */
export const playback = (page: Page) =>
  page.evaluate(() => {
    const lines = [...document.querySelectorAll('[data-testid="replay-line"]')];
    const audio = document.querySelector<HTMLAudioElement>('[data-testid="replay-audio"]');
    return {
      current: lines.findIndex((line) => line.getAttribute('aria-current') === 'true'),
      time: audio?.currentTime ?? 0,
      paused: audio?.paused ?? true,
    };
  });
