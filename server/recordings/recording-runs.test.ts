import { copyFile, mkdtemp, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encoder } from '@evan/opus';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeOggOpus } from '../../tests/helpers/ogg-opus.ts';
import { writeOggOpus } from '../../tests/helpers/recording-fixtures.ts';
import { synthesise, TEST_SENTENCES } from '../../tests/helpers/test-speech.ts';
import { createDiskRecordingStorage } from './disk-recording-storage.ts';
import { joinMixedRuns, nextRun, runKeys, writeRunStart } from './recording-runs.ts';
import { createTrackRecorder } from './track-recorder.ts';

const RATE = 48_000;
const FRAME = 960;
/** Where the second run starts, in ms of the recording: the server was down before it. */
const SECOND_RUN_MS = 9000;

const framed = (pcm: Int16Array) => pcm.subarray(0, Math.floor(pcm.length / FRAME) * FRAME);

describe('joinMixedRuns', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('joins a run cut short by a crash and the run after the restart, silence between', async () => {
    dir = await mkdtemp(join(tmpdir(), 'amphi-runs-'));
    const storage = createDiskRecordingStorage(dir);
    const first = framed(await synthesise(TEST_SENTENCES[0]!, RATE));
    const second = framed(await synthesise(TEST_SENTENCES[1]!, RATE));
    expect(await nextRun(storage, 'rec')).toBe(1);

    // The first run is never closed (the process died), and its last bytes never reached disk.
    const encoder = new Encoder({ channels: 1, sample_rate: RATE, application: 'voip' });
    const crashed = createTrackRecorder({
      file: await storage.create(runKeys('rec', 1).mixed),
      onError: (error) => {
        throw error;
      },
    });
    for (let at = 0; at + FRAME <= first.length; at += FRAME) {
      crashed.push(Uint8Array.from(encoder.encode(first.subarray(at, at + FRAME))), at, 0);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const firstPath = join(dir, runKeys('rec', 1).mixed);
    await truncate(firstPath, (await stat(firstPath)).size - 40);
    expect(await nextRun(storage, 'rec')).toBe(2);

    await writeRunStart(storage, 'rec', 2, SECOND_RUN_MS);
    const secondMs = await writeOggOpus(storage, runKeys('rec', 2).mixed, second);
    expect(await nextRun(storage, 'rec')).toBe(3);
    const secondCopy = join(dir, 'second-run-copy.ogg');
    await copyFile(join(dir, runKeys('rec', 2).mixed), secondCopy);

    await joinMixedRuns(storage, 'rec');
    const joined = await decodeOggOpus(await storage.read(runKeys('rec', 1).mixed));
    expect(Math.abs(joined.durationMs - (SECOND_RUN_MS + secondMs))).toBeLessThan(40);
    const firstMs = (first.length * 1000) / RATE;
    // About the last second of the crashed run (its open page) is lost; what came before stays.
    expect(joined.loudAtMs.filter((at) => at < firstMs).length).toBeGreaterThan(20);
    expect(joined.loudAtMs.filter((at) => at > firstMs && at < SECOND_RUN_MS)).toEqual([]);
    expect(joined.loudAtMs.filter((at) => at >= SECOND_RUN_MS).length).toBeGreaterThan(50);
    expect(await storage.size(runKeys('rec', 2).mixed)).toBeNull();

    // A crash after the joined file replaced the first run's but before the second's removal:
    // joining again finds nothing new.
    await copyFile(secondCopy, join(dir, runKeys('rec', 2).mixed));
    await writeRunStart(storage, 'rec', 2, SECOND_RUN_MS);
    await joinMixedRuns(storage, 'rec');
    const again = await decodeOggOpus(await storage.read(runKeys('rec', 1).mixed));
    expect(again.durationMs).toBe(joined.durationMs);
    expect(again.loudFrames).toBe(joined.loudFrames);
  }, 60_000);

  it('leaves a recording of one run as it is', async () => {
    dir = await mkdtemp(join(tmpdir(), 'amphi-runs-'));
    const storage = createDiskRecordingStorage(dir);
    const pcm = framed(await synthesise(TEST_SENTENCES[0]!, RATE));
    await writeOggOpus(storage, runKeys('rec', 1).mixed, pcm);
    const before = await storage.read(runKeys('rec', 1).mixed);
    await joinMixedRuns(storage, 'rec');
    expect(await storage.read(runKeys('rec', 1).mixed)).toEqual(before);
  });
});
