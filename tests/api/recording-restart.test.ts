import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { playbackKeyOf } from '../../server/recordings/playback-file.ts';
import { speakThroughRelay } from '../helpers/caption-operations.ts';
import { decodeOggOpus } from '../helpers/ogg-opus.ts';
import { waitFor } from '../helpers/relay-peers.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';

let t: TestApp;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amphi-recording-restart-'));
  t = await startTestApp(
    { hosting: { ...defaultConfig.hosting, minFollowers: 1 }, recordings: { dir } },
    { restartable: true },
  );
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The host speaks `speech` through the relay of whichever server runs now, to its end. */
async function speak(host: TestUser, spaceGlobalId: string, speech: Int16Array) {
  const speaker = await speakThroughRelay(host, spaceGlobalId, speech);
  try {
    await sleep(speech.length / 48 + 500);
  } finally {
    await speaker.close();
  }
}

describe('a server restarted mid-recording', () => {
  it('keeps what was recorded before the restart, and the replay holds both sides of it', async () => {
    const host = await t.createUser('host', { followers: 1 });
    const space = await t.app.services.spaces.start(host.id, {
      title: 'Recorded through a restart',
      topics: [],
    });
    await t.app.services.recordings.record(host.id, space.id, { fromStart: true });
    const spaceGlobalId = toGlobalId('Space', space.id);
    await waitFor(() => t.app.services.recordingRunner?.isRunning(space.id) ?? false, 'rec');
    await t.app.services.stage.setMuted(host.id, space.id, false);
    const [before, after] = await Promise.all([
      synthesiseAll(TEST_SENTENCES.slice(0, 1), 48_000, 500),
      synthesiseAll(TEST_SENTENCES.slice(1, 2), 48_000, 500),
    ]);

    await speak(host, spaceGlobalId, before);
    const startedAt = space.startedAt!.getTime();
    const restartAtMs = Date.now() - startedAt;
    await t.restart();
    await waitFor(() => t.app.services.recordingRunner?.isRunning(space.id) ?? false, 'resumed');
    const resumedAtMs = Date.now() - startedAt;
    await speak(host, spaceGlobalId, after);
    await t.app.services.spaces.end(host.id, space.id);
    await waitFor(async () => {
      const recording = await t.app.prisma.recording.findUnique({ where: { spaceId: space.id } });
      return recording?.state === 'READY';
    }, 'READY');

    const recording = await t.app.prisma.recording.findUniqueOrThrow({
      where: { spaceId: space.id },
    });
    const ended = await t.app.prisma.space.findUniqueOrThrow({ where: { id: space.id } });
    const spaceMs = ended.endedAt!.getTime() - startedAt;
    const mix = await decodeOggOpus(await readFile(join(dir, playbackKeyOf(recording.id))));
    // The downtime is silence in the file, so it lasts as long as the space.
    expect(Math.abs(mix.durationMs - (spaceMs - recording.startMs))).toBeLessThan(1000);
    expect(mix.loudAtMs.filter((at) => at < restartAtMs).length).toBeGreaterThan(50);
    expect(mix.loudAtMs.filter((at) => at > resumedAtMs).length).toBeGreaterThan(50);
    expect(mix.loudAtMs.filter((at) => at > restartAtMs + 300 && at < resumedAtMs)).toEqual([]);

    // Each run kept its own speaker file, and each decodes.
    const tracks = await t.app.prisma.recordingTrack.findMany({
      where: { recordingId: recording.id },
      orderBy: { startMs: 'asc' },
    });
    expect(tracks).toHaveLength(2);
    for (const track of tracks) {
      const decoded = await decodeOggOpus(await readFile(join(dir, track.key)));
      expect(decoded.loudFrames).toBeGreaterThan(50);
    }
  }, 180_000);
});
