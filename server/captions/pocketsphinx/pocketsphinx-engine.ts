import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  ENGINE_SAMPLE_RATE,
  type RecognisedSegment,
  type SpeechEngine,
  type SpeechStream,
} from '../speech-engine.ts';

/** Where Debian's `pocketsphinx-en-us` puts the US English model. */
const DEBIAN_MODEL = '/usr/share/pocketsphinx/model/en-us';

export type PocketsphinxOptions = {
  /** A Python with Debian's `python3-pocketsphinx`. @default '/usr/bin/python3' */
  python?: string;
  /** Acoustic model directory. @default the Debian en-us model */
  acousticModel?: string;
  /** Language model. @default the Debian en-us trigram model */
  languageModel?: string;
  /** Pronunciation dictionary. @default the Debian en-us CMU dictionary */
  dictionary?: string;
};

type DriverMessage =
  | { type: 'ready' }
  | { type: 'progress'; fedMs: number }
  | { type: 'partial' | 'final'; text: string; startMs: number; endMs: number };

const driverPath = fileURLToPath(new URL('./driver.py', import.meta.url));

/** The driver and the model files it loads. */
export function pocketsphinxArgs(options: PocketsphinxOptions): string[] {
  return [
    driverPath,
    options.acousticModel ?? `${DEBIAN_MODEL}/en-us`,
    options.languageModel ?? `${DEBIAN_MODEL}/en-us.lm.bin`,
    options.dictionary ?? `${DEBIAN_MODEL}/cmudict-en-us.dict`,
  ];
}

/**
 * CMU pocketsphinx through a small Python driver (Debian's bindings): one long-lived child
 * process per speaker, fed length-prefixed PCM (or a zero-length "flush") on stdin, answering JSON
 * lines. The model loads once per
 * process (~0.3 s); pocketsphinx's voice activity detection ends utterances.
 */
export function createPocketsphinxEngine(options: PocketsphinxOptions = {}): SpeechEngine {
  const args = pocketsphinxArgs(options);
  return {
    name: 'pocketsphinx',
    open(onSegment) {
      const child = spawn(options.python ?? '/usr/bin/python3', args, {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-2000);
      });
      // A speaker who leaves mid-write must not crash the server with EPIPE.
      child.stdin.on('error', () => {});
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      const progress = { recognisedMs: 0 };
      return new Promise<SpeechStream>((resolve, reject) => {
        let ready = false;
        child.once('error', reject);
        void exited.then(() => {
          if (!ready) reject(new Error(`pocketsphinx did not start: ${stderr.trim()}`));
        });
        createInterface({ input: child.stdout }).on('line', (line) => {
          const message = JSON.parse(line) as DriverMessage;
          if (message.type === 'ready') {
            ready = true;
            resolve(streamOf(child.stdin, exited, progress));
            return;
          }
          if (message.type === 'progress') {
            progress.recognisedMs = message.fedMs;
            return;
          }
          const segment: RecognisedSegment = {
            text: message.text,
            startMs: message.startMs,
            endMs: message.endMs,
            final: message.type === 'final',
          };
          onSegment(segment);
        });
      });
    },
  };
}

/** The driver's message header: the length of the PCM that follows (0: flush). */
function header(length: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(length);
  return bytes;
}

function streamOf(
  stdin: NodeJS.WritableStream,
  exited: Promise<void>,
  progress: { recognisedMs: number },
): SpeechStream {
  let ended = false;
  let writtenSamples = 0;
  return {
    closed: exited,
    backlogMs: () => (writtenSamples * 1000) / ENGINE_SAMPLE_RATE - progress.recognisedMs,
    write(samples) {
      if (ended || samples.length === 0) return;
      writtenSamples += samples.length;
      stdin.write(header(samples.byteLength));
      stdin.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    },
    flush() {
      if (!ended) stdin.write(header(0));
    },
    async end() {
      if (!ended) {
        ended = true;
        stdin.end();
      }
      await exited;
    },
  };
}
