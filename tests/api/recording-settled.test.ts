import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { speakThroughRelay } from '../helpers/caption-operations.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { waitFor } from '../helpers/relay-peers.ts';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';

const SETTLED = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    recordingSettled(spaceId: $spaceId) { state playbackUrl durationSeconds }
  }
`;

type Settled = {
  recordingSettled: { state: string; playbackUrl: string | null; durationSeconds: number | null };
};

let t: TestApp;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amphi-recordings-'));
  t = await startTestApp({
    hosting: { ...defaultConfig.hosting, minFollowers: 1 },
    recordings: { dir },
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Subscription.recordingSettled', () => {
  it('tells a waiting page that a recording whose files could not be written FAILED', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.recordings.record(cast.host.id, cast.spaceId);
    await waitFor(() => t.app.services.recordingRunner?.isRunning(cast.spaceId) ?? false, 'rec');
    const recording = await t.app.prisma.recording.findUniqueOrThrow({
      where: { spaceId: cast.spaceId },
    });
    // Storage breaks: where the recording's folder was (the mixed track is already open in it)
    // there is now a file, so the speaker's track cannot be created.
    await rm(join(dir, recording.id), { recursive: true, force: true });
    await writeFile(join(dir, recording.id), 'in the way');
    const client = wsClient(t.url, cast.listener.credentials);
    const settled = collect<Settled>(client, SETTLED, { spaceId: cast.spaceGlobalId });
    try {
      await waitFor(() => t.app.bus.watchers('recording-states', cast.spaceId) > 0, 'watching');
      await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
      const speech = await synthesiseAll(TEST_SENTENCES.slice(0, 1), 48_000, 500);
      const speaker = await speakThroughRelay(cast.speaker, cast.spaceGlobalId, speech);
      try {
        // Let the recorder receive their speech, which it cannot store.
        await new Promise((resolve) => setTimeout(resolve, speech.length / 48 + 1000));
        await t.app.services.spaces.end(cast.host.id, cast.spaceId);
      } finally {
        await speaker.close();
      }
      await settled.until((results) => results.length > 0, 30_000);
      await waitFor(() => settled.completed, 'the subscription completes');
      expect(settled.results).toEqual([
        {
          data: { recordingSettled: { state: 'FAILED', playbackUrl: null, durationSeconds: null } },
        },
      ]);
    } finally {
      settled.unsubscribe();
      await client.dispose();
    }
  }, 120_000);

  it('answers at once, and completes, when the recording is already settled', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.recordings.record(cast.host.id, cast.spaceId);
    await waitFor(() => t.app.services.recordingRunner?.isRunning(cast.spaceId) ?? false, 'rec');
    await t.app.services.spaces.end(cast.host.id, cast.spaceId);
    await waitFor(() => !t.app.services.recordingRunner?.isRunning(cast.spaceId), 'rec stops');
    const client = wsClient(t.url);
    const settled = collect<Settled>(client, SETTLED, { spaceId: cast.spaceGlobalId });
    try {
      await waitFor(() => settled.completed, 'the subscription completes');
      expect(settled.results).toEqual([
        {
          data: {
            recordingSettled: {
              state: 'READY',
              playbackUrl: expect.stringMatching(/\/recordings\/[^/]+\/audio\.ogg$/),
              durationSeconds: expect.any(Number),
            },
          },
        },
      ]);
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
