import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeOggOpus } from '../../tests/helpers/ogg-opus.ts';
import {
  connectWrtcClient,
  type RelayTestClient,
  waitFor,
} from '../../tests/helpers/relay-peers.ts';
import { createMixHub } from '../broadcast/mix-hub.ts';
import { createRelay, type Relay } from '../media/relay/relay.ts';
import { createDiskRecordingStorage } from './disk-recording-storage.ts';
import { MIXED_TRACK, type RecordedTrack, startSpaceRecorder } from './space-recorder.ts';

describe('startSpaceRecorder', () => {
  let relay: Relay | undefined;
  let dir: string | undefined;
  const clients: RelayTestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await relay?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes each speaker’s Opus and their mix to files that decode, as long as the space', async () => {
    dir = await mkdtemp(join(tmpdir(), 'amphi-recordings-'));
    const storage = createDiskRecordingStorage(dir);
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['alice', 'bob']));
    const started = Date.now();
    const tracks: RecordedTrack[] = [];
    const errors: unknown[] = [];
    const mixes = createMixHub({ relay });
    const recorder = startSpaceRecorder({
      relay,
      mixes,
      spaceId: 'space',
      storage,
      keyPrefix: 'rec-1',
      now: () => Date.now() - started,
      onTrack: (track) => tracks.push(track),
      onError: (error) => errors.push(error),
    });
    const sentAt = new Map<string, number>();
    for (const [speaker, hz] of [
      ['alice', 440],
      ['bob', 660],
    ] as const) {
      const { sessionId, offer } = await relay.open('space', speaker);
      const client = await connectWrtcClient(offer, { speak: true, hz });
      clients.push(client);
      await relay.answer(sessionId, client.answer);
      sentAt.set(speaker, Date.now());
    }
    await waitFor(() => tracks.length === 2, 'both speakers recorded');
    // Let them speak for a few seconds of real audio.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await Promise.all(clients.splice(0).map((client) => client.close()));
    const stoppedAt = Date.now() - started;
    await recorder.stop();
    expect(mixes.spaces()).toEqual([]);

    expect(errors.map(String)).toEqual([]);
    expect(new Set(tracks.map((track) => track.speaker))).toEqual(new Set(['alice', 'bob']));
    for (const track of tracks) {
      const decoded = await decodeOggOpus(await storage.read(track.key));
      expect(decoded.codec).toBe('opus');
      // The file covers the speaker's time in the space, from their first packet on.
      expect(Math.abs(decoded.durationMs - (stoppedAt - track.startMs))).toBeLessThan(1000);
      expect(decoded.loudFrames).toBeGreaterThan(100);
    }
    // The mix runs from the recorder's start to its stop, through the speakers' joining.
    const mix = await decodeOggOpus(await storage.read(`rec-1/${MIXED_TRACK}`));
    expect(mix.codec).toBe('opus');
    expect(Math.abs(mix.durationMs - stoppedAt)).toBeLessThan(1000);
    expect(mix.loudFrames).toBeGreaterThan(100);
  }, 60_000);

  it('starts the mixed track at the recording’s start and ends it at the stop, nothing held back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'amphi-recordings-'));
    const storage = createDiskRecordingStorage(dir);
    relay = createRelay({ port: 0 });
    // The recording began with the space, 1.5 s before this recorder could start.
    const started = Date.now() - 1500;
    const now = () => Date.now() - started;
    const errors: unknown[] = [];
    const recorder = startSpaceRecorder({
      relay,
      mixes: createMixHub({ relay }),
      spaceId: 'space',
      storage,
      keyPrefix: 'rec-2',
      startMs: 0,
      now,
      onTrack: () => {},
      onError: (error) => errors.push(error),
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stoppedAt = now();
    await recorder.stop();

    expect(errors.map(String)).toEqual([]);
    const mix = await decodeOggOpus(await storage.read(`rec-2/${MIXED_TRACK}`));
    // Within a few 20 ms packets: off by the late start (1.5 s) or the mix's jitter hold (0.2 s)
    // the replay's transcript would run ahead of or behind the voices.
    expect(Math.abs(mix.durationMs - stoppedAt)).toBeLessThan(100);
  }, 60_000);
});
