import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOfType, toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { hasChromium } from './helpers/chromium.ts';
import { openWebApp, person, screenshot } from './helpers/web-app.ts';

let t: TestApp;
let dir: string;
beforeAll(async () => {
  if (!hasChromium) return;
  dir = await mkdtemp(join(tmpdir(), 'amphi-record-choice-e2e-'));
  t = await startTestApp({
    hosting: { minFollowers: 0, minFollowersTicketed: 0 },
    recordings: { dir },
  });
});
afterAll(async () => {
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const spaceIdOf = (page: Page) => {
  const globalId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  return idOfType(globalId, 'Space') ?? globalId;
};

/** A listener opens the room and must be shown that it is recorded. */
async function listenerSeesRecorded(url: string, who: ReturnType<typeof person>) {
  const listener = await openWebApp(t.url, who);
  try {
    await listener.page.goto(url);
    await listener.page.getByRole('button', { name: 'Raise hand' }).waitFor();
    await listener.page.getByTestId('recorded-badge').waitFor();
    expect(await listener.page.getByTestId('recorded-badge').textContent()).toContain('Recorded');
    await screenshot(listener.page, 'room-recorded-badge');
  } finally {
    await listener.close();
  }
}

describe.skipIf(!hasChromium)('choosing to record in the web client', () => {
  it('a host who ticks "Record this space" goes live recorded, and a listener sees it', async () => {
    const host = await openWebApp(t.url, person('Maya Chen', 'maya'));
    try {
      await host.page.goto(`${t.url}/start`);
      await host.page.getByLabel('Title').fill('Recorded from the start page');
      await host.page.getByLabel(/Record this space/).check();
      await host.page.getByRole('button', { name: 'Allow microphone' }).click();
      await host.page.getByRole('meter', { name: 'Microphone level' }).waitFor();
      await host.page.getByRole('button', { name: 'Go live' }).click();
      await host.page.waitForURL(/\/spaces\/.+/);
      await host.page.getByRole('button', { name: 'Unmute' }).waitFor();
      await host.page.getByTestId('recorded-badge').waitFor();

      const recording = await t.app.prisma.recording.findUnique({
        where: { spaceId: spaceIdOf(host.page) },
      });
      expect(recording?.state).toBe('RECORDING');
      await listenerSeesRecorded(host.page.url(), person('Sam Rivera', 'sam'));
    } finally {
      await host.close();
    }
  });

  it('a host starting a scheduled space can record it; unticked, the badge comes once recording starts', async () => {
    const host = await openWebApp(t.url, person('Priya Nair', 'priya'));
    const priya = await t.app.prisma.user.findUniqueOrThrow({ where: { handle: 'priya' } });
    const schedule = (title: string) =>
      t.app.services.scheduling.schedule(priya.id, {
        title,
        scheduledStart: new Date(Date.now() + 86_400_000),
      });
    const recorded = await schedule('Office hours, recorded');
    const unrecorded = await schedule('Office hours, not recorded');
    try {
      await host.page.goto(`${t.url}/spaces/${toGlobalId('Space', recorded.id)}`);
      await host.page.getByLabel(/Record this space/).check();
      await host.page.getByRole('button', { name: 'Start now' }).click();
      await host.page.getByTestId('recorded-badge').waitFor();
      const recording = await t.app.prisma.recording.findUnique({
        where: { spaceId: recorded.id },
      });
      expect(recording?.state).toBe('RECORDING');
      await listenerSeesRecorded(host.page.url(), person('Jordan Lee', 'jordan'));
      await t.app.services.spaces.end(priya.id, recorded.id);

      await host.page.goto(`${t.url}/spaces/${toGlobalId('Space', unrecorded.id)}`);
      await host.page.getByRole('button', { name: 'Start now' }).click();
      await host.page.getByRole('button', { name: 'Unmute' }).waitFor();
      expect(await host.page.getByTestId('recorded-badge').count()).toBe(0);
      expect(await t.app.prisma.recording.count({ where: { spaceId: unrecorded.id } })).toBe(0);

      // Recording chosen later (recordSpace) reaches a listener already in the room.
      const listener = await openWebApp(t.url, person('Lena Park', 'lena'));
      try {
        await listener.page.goto(host.page.url());
        await listener.page.getByRole('button', { name: 'Raise hand' }).waitFor();
        expect(await listener.page.getByTestId('recorded-badge').count()).toBe(0);
        await t.app.services.recordings.record(priya.id, unrecorded.id);
        await listener.page.getByTestId('recorded-badge').waitFor();
        await host.page.getByTestId('recorded-badge').waitFor();
      } finally {
        await listener.close();
      }
    } finally {
      await host.close();
    }
  });
});
