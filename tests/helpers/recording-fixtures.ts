import { Encoder } from '@evan/opus';
import { toGlobalId } from '../../server/ids.ts';
import { playbackKeyOf } from '../../server/recordings/playback-file.ts';
import type { RecordingStorage } from '../../server/recordings/recording-storage.ts';
import { createTrackRecorder } from '../../server/recordings/track-recorder.ts';
import type { TestApp, TestUser } from './test-app.ts';
import { synthesise, TEST_SENTENCES } from './test-speech.ts';

const RATE = 48_000;
const FRAME = 960;
const PAUSE_MS = 1500;

/** A transcript line of the fixture, in ms of the playback file. */
export type FixtureLine = { text: string; startMs: number; endMs: number };

/**
 * Speech (flite's sentences, again and again until `minSeconds`) with pauses, and where each
 * sentence lies in it.
 */
async function speech(minSeconds: number) {
  const pause = new Int16Array((PAUSE_MS * RATE) / 1000);
  const parts: Int16Array[] = [pause];
  const lines: FixtureLine[] = [];
  let samples = pause.length;
  for (let i = 0; samples < minSeconds * RATE; i++) {
    const text = TEST_SENTENCES[i % TEST_SENTENCES.length]!;
    const said = await synthesise(text, RATE);
    lines.push({
      text,
      startMs: (samples * 1000) / RATE,
      endMs: ((samples + said.length) * 1000) / RATE,
    });
    parts.push(said, pause);
    samples += said.length + pause.length;
  }
  const pcm = new Int16Array(Math.ceil(samples / FRAME) * FRAME);
  let offset = 0;
  for (const part of parts) {
    pcm.set(part, offset);
    offset += part.length;
  }
  return { pcm, lines };
}

/**
 * Writes `pcm` as a real Ogg Opus file (libopus through @evan/opus, 20 ms packets) at `key`, with
 * the server's own track writer; returns its length in ms.
 */
export async function writeOggOpus(storage: RecordingStorage, key: string, pcm: Int16Array) {
  const encoder = new Encoder({ channels: 1, sample_rate: RATE, application: 'voip' });
  const recorder = createTrackRecorder({
    file: await storage.create(key),
    onError: (error) => {
      throw error;
    },
  });
  for (let at = 0; at + FRAME <= pcm.length; at += FRAME) {
    const packet = encoder.encode(pcm.subarray(at, at + FRAME));
    recorder.push(Uint8Array.from(packet), at, (at * 1000) / RATE);
  }
  await recorder.close();
  return (pcm.length * 1000) / RATE;
}

/**
 * An ended space with a READY recording whose playback file (the mixed track, written here until
 * the live mix writes it) holds real speech, and a transcript of it by one speaker, as captions
 * would have committed it. `ticketed` puts a ticket offer on the space.
 */
export async function recordedSpace(
  t: TestApp,
  options: { minSeconds?: number; ticketed?: boolean; host?: TestUser } = {},
) {
  const { prisma, services } = t.app;
  const storage = services.replay.storage;
  if (!storage) throw new Error('start the app with recordings: { dir }');
  const host = options.host ?? (await t.createUser('host'));
  const speaker = await t.createUser('speaker');
  const { pcm, lines } = await speech(options.minSeconds ?? 15);
  // The recording starts 2 s into the space: the playback file's time 0 is the recording's start.
  const recordingStartMs = 2000;
  const lengthMs = (pcm.length * 1000) / RATE;
  const endedAt = new Date();
  const startedAt = new Date(endedAt.getTime() - recordingStartMs - lengthMs);
  const space = await prisma.space.create({
    data: {
      title: 'A recorded talk',
      hostId: host.id,
      state: 'ENDED',
      startedAt,
      endedAt,
      createdAt: startedAt,
      mediaMode: 'RELAY',
    },
  });
  if (options.ticketed) {
    await prisma.ticketOffer.create({
      data: {
        spaceId: space.id,
        priceMinor: 500,
        currency: 'usd',
        seats: 10,
        salesEndAt: startedAt,
      },
    });
  }
  const participant = await prisma.participant.create({
    data: { spaceId: space.id, userId: speaker.id, role: 'SPEAKER', muted: false },
  });
  const recording = await prisma.recording.create({
    data: { spaceId: space.id, startMs: recordingStartMs, state: 'RECORDING' },
  });
  const durationMs = await writeOggOpus(storage, playbackKeyOf(recording.id), pcm);
  await prisma.recording.update({
    where: { id: recording.id },
    data: { state: 'READY', endedAt, durationMs: Math.round(durationMs) },
  });
  await prisma.transcriptSegment.createMany({
    data: lines.map((line) => ({
      spaceId: space.id,
      participantId: participant.id,
      text: line.text,
      startMs: Math.round(recordingStartMs + line.startMs),
      endMs: Math.round(recordingStartMs + line.endMs),
    })),
  });
  return {
    host,
    speaker,
    space,
    spaceGlobalId: toGlobalId('Space', space.id),
    recording,
    recordingGlobalId: toGlobalId('Recording', recording.id),
    durationMs,
    /** Where each line lies in the playback file. */
    lines,
  };
}
