import { EncodedPacket, EncodedPacketSink, Input, OGG } from 'mediabunny';
import { startOggOpusFile } from './ogg-opus-file.ts';
import { OPUS_SILENCE_20MS, opusHead, opusPacketSamples } from './opus-packet.ts';
import type { RecordingStorage } from './recording-storage.ts';
import { storageSource } from './storage-source.ts';

const SAMPLE_RATE = 48_000;
const SILENCE_SAMPLES = 960;

/**
 * A recording is made by one or more runs of its recorder: the first, and one more each time a
 * server restarts mid-space and picks the recording up again. Every run writes files of its own,
 * so a restart never truncates what an earlier run wrote. The first run's keys are the plain ones
 * (`mixed.ogg`, the playback file); a later run's mixed track is `mixed.<run>.ogg`, beside
 * `mixed.<run>.start` holding where it starts (ms after the recording's start).
 */
export function runKeys(prefix: string, run: number) {
  const tag = run === 1 ? '' : `.${run}`;
  return {
    mixed: `${prefix}/mixed${tag}.ogg`,
    mixedStart: `${prefix}/mixed${tag}.start`,
    track: (n: number) =>
      run === 1 ? `${prefix}/track-${n}.ogg` : `${prefix}/track-${n}.${run}.ogg`,
  };
}

async function runExists(storage: RecordingStorage, prefix: string, run: number) {
  const keys = runKeys(prefix, run);
  return (await storage.size(keys.mixed)) !== null || (await storage.size(keys.track(1))) !== null;
}

/** The number of the next run of a recording's recorder: one past every run that left a file. */
export async function nextRun(storage: RecordingStorage, prefix: string): Promise<number> {
  let run = 1;
  while (await runExists(storage, prefix, run)) run++;
  return run;
}

/** Notes where a later run's mixed track starts, before the track itself is created. */
export async function writeRunStart(
  storage: RecordingStorage,
  prefix: string,
  run: number,
  offsetMs: number,
) {
  const file = await storage.create(runKeys(prefix, run).mixedStart);
  try {
    await file.write(new TextEncoder().encode(String(Math.round(offsetMs))), 0);
    await file.sync();
  } finally {
    await file.close();
  }
}

type Part = { key: string; offsetSamples: number };

async function laterParts(storage: RecordingStorage, prefix: string) {
  const parts: Part[] = [];
  const runs: number[] = [];
  for (let run = 2; await runExists(storage, prefix, run); run++) {
    runs.push(run);
    const keys = runKeys(prefix, run);
    if ((await storage.size(keys.mixed)) === null) continue;
    if ((await storage.size(keys.mixedStart)) === null) continue;
    const offsetMs = Number(new TextDecoder().decode(await storage.read(keys.mixedStart)));
    if (!Number.isFinite(offsetMs)) continue;
    parts.push({ key: keys.mixed, offsetSamples: Math.round((offsetMs * SAMPLE_RATE) / 1000) });
  }
  return { parts, runs };
}

/**
 * Joins the mixed tracks of every run into the playback file (`mixed.ogg`), on the recording's
 * clock: each run's packets at their place, 20 ms silence packets for the time no run recorded
 * (the server was down), and nothing twice where runs overlap. The joined file replaces the first
 * run's at once, then the later runs' files are removed; joining again after a crash in between
 * changes nothing, since the joined file already covers every later run's time.
 */
export async function joinMixedRuns(storage: RecordingStorage, prefix: string): Promise<void> {
  const { parts, runs } = await laterParts(storage, prefix);
  if (runs.length === 0) return;
  const playback = runKeys(prefix, 1).mixed;
  const joined = `${prefix}/mixed.joined.ogg`;
  const file = await storage.create(joined);
  let written = false;
  try {
    const { output, source } = await startOggOpusFile(file);
    let cursor = 0;
    const add = async (data: Uint8Array, samples: number) => {
      const meta = written
        ? undefined
        : {
            decoderConfig: {
              codec: 'opus',
              numberOfChannels: 1,
              sampleRate: SAMPLE_RATE,
              description: opusHead(),
            },
          };
      written = true;
      const packet = new EncodedPacket(data, 'key', cursor / SAMPLE_RATE, samples / SAMPLE_RATE);
      cursor += samples;
      await source.add(packet, meta);
    };
    for (const part of [{ key: playback, offsetSamples: 0 }, ...parts]) {
      await copyPart(storage, part, async (data, at) => {
        const samples = opusPacketSamples(data);
        if (samples === 0 || at + samples / 2 <= cursor) return;
        while (cursor + SILENCE_SAMPLES / 2 < at) await add(OPUS_SILENCE_20MS, SILENCE_SAMPLES);
        await add(data, samples);
      });
    }
    if (!written) {
      await output.cancel();
      return;
    }
    await output.finalize();
    await file.sync();
  } finally {
    await file.close();
  }
  if (!written) {
    await storage.remove(joined);
    return;
  }
  await storage.rename(joined, playback);
  for (const run of runs) {
    await storage.remove(runKeys(prefix, run).mixed);
    await storage.remove(runKeys(prefix, run).mixedStart);
  }
}

/**
 * Hands every packet of one run's file to `take`, with its place in samples on the recording's
 * clock. A file cut short by a crash gives what its whole pages hold; one with nothing readable,
 * nothing. `take` skips what it already has, so reading again after a failure repeats nothing.
 */
async function copyPart(
  storage: RecordingStorage,
  part: Part,
  take: (data: Uint8Array, at: number) => Promise<void>,
) {
  const size = await storage.size(part.key);
  if (!size) return;
  try {
    await readPart(storage, part, size, take);
  } catch (error) {
    if (error instanceof TakeFailed) throw error.cause;
    // A page torn by the crash makes the demuxer give up: read up to the last whole page.
    const whole = await wholePagesLength(storage, part.key, size);
    console.warn(`recordings: ${part.key} is read up to byte ${whole} of ${size}`, error);
    if (whole === 0) return;
    await readPart(storage, part, whole, take).catch((again: unknown) => {
      if (again instanceof TakeFailed) throw again.cause;
      console.warn(`recordings: ${part.key} is readable only in part`, again);
    });
  }
}

class TakeFailed extends Error {}

async function readPart(
  storage: RecordingStorage,
  part: Part,
  size: number,
  take: (data: Uint8Array, at: number) => Promise<void>,
) {
  const input = new Input({ formats: [OGG], source: storageSource(storage, part.key, size) });
  try {
    const track = await input.getPrimaryAudioTrack();
    if (!track) return;
    for await (const packet of new EncodedPacketSink(track).packets()) {
      const at = part.offsetSamples + Math.round(packet.timestamp * SAMPLE_RATE);
      await take(packet.data, at).catch((error: unknown) => {
        throw new TakeFailed('writing the joined file failed', { cause: error });
      });
    }
  } finally {
    input.dispose();
  }
}

const PAGE_HEADER = 27;
const BLOCK = 1 << 16;

/** Bytes of the file that are whole Ogg pages (RFC 3533 §6), from its start. */
async function wholePagesLength(storage: RecordingStorage, key: string, size: number) {
  let position = 0;
  let block: Uint8Array = new Uint8Array();
  let blockStart = 0;
  for (;;) {
    let at = position - blockStart;
    if (at + PAGE_HEADER + 255 > block.length && blockStart + block.length < size) {
      block = await storage.readRange(key, position, Math.min(size, position + BLOCK));
      blockStart = position;
      at = 0;
    }
    if (at + PAGE_HEADER > block.length) return position;
    const isPage =
      block[at] === 0x4f &&
      block[at + 1] === 0x67 &&
      block[at + 2] === 0x67 &&
      block[at + 3] === 0x53;
    if (!isPage) return position;
    const segments = block[at + 26] ?? 0;
    if (at + PAGE_HEADER + segments > block.length) return position;
    let length = PAGE_HEADER + segments;
    for (let i = 0; i < segments; i++) length += block[at + PAGE_HEADER + i] ?? 0;
    if (position + length > size) return position;
    position += length;
  }
}
