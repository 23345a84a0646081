import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encoder } from '@evan/opus';
import { createLiveMixer, MIX_FRAME_SAMPLES } from '../../server/broadcast/live-mixer.ts';
import { createMixEncoder } from '../../server/broadcast/mix-encoder.ts';
import { createDiskRecordingStorage } from '../../server/recordings/disk-recording-storage.ts';
import { createTrackRecorder } from '../../server/recordings/track-recorder.ts';
import { synthesiseAll, TEST_SENTENCES } from '../../tests/helpers/test-speech.ts';

export type RecordingRow = {
  speakers: number;
  /** CPU per speaker per minute of audio: their track file, and their share of the mix (ms). */
  cpuMsPerSpeakerMinute: number;
  /** That as a share of one core, per live speaker. */
  corePercentPerSpeaker: number;
  trackBytesPerSpeakerMinute: number;
  mixedBytesPerMinute: number;
};

/**
 * Recording cost: `speakers` speakers' Opus (speech from flite, encoded as a browser would at
 * 32 kb/s) for `minutes` of audio, pushed as fast as the recorder takes it through what a
 * recorded space runs per packet: each speaker's Ogg track (remuxed, no re-encoding) and the
 * mix (decode each, sum, encode once) into the mixed track, on disk.
 */
export async function benchRecordingCost(speakers: number, minutes: number): Promise<RecordingRow> {
  const speech = await synthesiseAll(TEST_SENTENCES, 48_000, 800);
  const frames = Math.round((minutes * 60 * 48_000) / MIX_FRAME_SAMPLES);
  const encoders = Array.from(
    { length: speakers },
    () => new Encoder({ channels: 1, sample_rate: 48_000, application: 'voip' }),
  );
  for (const encoder of encoders) encoder.bitrate = 32_000;
  // Encoded before the clock starts: the speakers' browsers do this, not the server.
  const packets = encoders.map((encoder, s) =>
    Array.from({ length: frames }, (_, f) => {
      const at = ((f + s * 97) * MIX_FRAME_SAMPLES) % (speech.length - MIX_FRAME_SAMPLES);
      return Uint8Array.from(encoder.encode(speech.subarray(at, at + MIX_FRAME_SAMPLES)));
    }),
  );
  const dir = await mkdtemp(join(tmpdir(), 'amphi-bench-rec-'));
  try {
    const storage = createDiskRecordingStorage(dir);
    const tracks = await Promise.all(
      packets.map(async (_, s) =>
        createTrackRecorder({ file: await storage.create(`r/track-${s}.ogg`), onError: fail }),
      ),
    );
    const mixed = createTrackRecorder({ file: await storage.create('r/mixed.ogg'), onError: fail });
    const mixer = createLiveMixer({ jitterMs: 200 });
    const mixEncoder = createMixEncoder();
    // Decoders get ready (WebAssembly instantiation) outside the measurement.
    for (let s = 0; s < speakers; s++) mixer.push(`s${s}`, packets[s]![0]!, 0, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cpu = process.cpuUsage();
    let sample = 0;
    for (let f = 1; f < frames; f++) {
      const at = f * MIX_FRAME_SAMPLES;
      for (let s = 0; s < speakers; s++) {
        const packet = packets[s]![f]!;
        tracks[s]!.push(packet, at, at / 48);
        mixer.push(`s${s}`, packet, at, at);
      }
      for (const frame of mixer.mixUntil(at)) {
        mixed.push(mixEncoder.encode(frame), sample, sample / 48);
        sample += MIX_FRAME_SAMPLES;
      }
      // Lets the file writes run, as they would between packets.
      if (f % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([...tracks, mixed].map((track) => track.close()));
    const used = process.cpuUsage(cpu);
    mixer.close();
    const cpuMs = (used.user + used.system) / 1000;
    let trackBytes = 0;
    for (let s = 0; s < speakers; s++) trackBytes += (await storage.size(`r/track-${s}.ogg`)) ?? 0;
    const perSpeakerMinute = cpuMs / speakers / minutes;
    return {
      speakers,
      cpuMsPerSpeakerMinute: Math.round(perSpeakerMinute),
      corePercentPerSpeaker: +((perSpeakerMinute / 60_000) * 100).toFixed(2),
      trackBytesPerSpeakerMinute: Math.round(trackBytes / speakers / minutes),
      mixedBytesPerMinute: Math.round(((await storage.size('r/mixed.ogg')) ?? 0) / minutes),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function fail(error: unknown): never {
  throw error;
}
