import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resample } from '../../server/captions/resample.ts';
import { parseWav } from '../../server/captions/wav.ts';

/** Sentences flite says clearly enough for the small pocketsphinx model (tests and bench). */
export const TEST_SENTENCES = [
  'the quick brown fox jumps over the lazy dog',
  'please call stella and ask her to bring these things with her from the store',
  'we will meet at the station at nine in the morning',
  'the weather today is cold and windy with rain in the afternoon',
] as const;

/** Speech of `text` from Debian's flite, at `sampleRate` (flite itself speaks at 8 kHz). */
export async function synthesise(text: string, sampleRate: number): Promise<Int16Array> {
  const dir = await mkdtemp(join(tmpdir(), 'amphi-speech-'));
  try {
    const file = join(dir, 'speech.wav');
    await promisify(execFile)('flite', ['-t', text, '-o', file]);
    const wav = parseWav(await readFile(file));
    return resample(wav.samples, wav.sampleRate, sampleRate);
  } catch (error) {
    throw new Error(`flite could not speak (apt-get install flite): ${String(error)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sentences one after another, with `pauseMs` of silence before, between and after them. */
export async function synthesiseAll(
  sentences: readonly string[],
  sampleRate: number,
  pauseMs = 1500,
): Promise<Int16Array> {
  const pause = new Int16Array((pauseMs * sampleRate) / 1000);
  const parts: Int16Array[] = [pause];
  for (const sentence of sentences) parts.push(await synthesise(sentence, sampleRate), pause);
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
