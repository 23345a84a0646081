import {
  EncodedAudioPacketSource,
  EncodedPacket,
  OggOutputFormat,
  Output,
  StreamTarget,
  type StreamTargetChunk,
} from 'mediabunny';
import { OPUS_SILENCE_20MS, opusHead, opusPacketSamples } from './opus-packet.ts';
import type { StoredFileWriter } from './recording-storage.ts';

const SAMPLE_RATE = 48_000;
/** Ogg pages close at least this often (s): a crash loses at most about this much audio. */
const PAGE_SECONDS = 1;
/** Written pages are made durable on disk this often (ms). */
const SYNC_EVERY_MS = 2000;
/**
 * A jump in RTP time past this is not believed (a new session starts a new RTP clock): the gap is
 * measured by arrival instead.
 */
const MAX_RTP_GAP_SAMPLES = 2 * SAMPLE_RATE;

export type TrackRecorderOptions = {
  file: StoredFileWriter;
  /** A write failed (disk full): the recorder stops, keeping what was written. */
  onError(error: unknown): void;
};

/**
 * One speaker's Opus, as received, into an Ogg Opus file without re-encoding. Packets are placed
 * by their RTP timestamps (by arrival after a long pause or a reconnection); where the speaker
 * sent nothing (muted, lost packets) 20 ms silence packets keep the file's timeline equal to the
 * space's, so the file's time 0 is its first packet's arrival. Pages are written as they close.
 */
export function createTrackRecorder(options: TrackRecorderOptions) {
  const { file } = options;
  let lastSync = Date.now();
  let failed = false;
  const target = new StreamTarget(
    new WritableStream<StreamTargetChunk>({
      async write(chunk) {
        await file.write(chunk.data, chunk.position);
        if (Date.now() - lastSync >= SYNC_EVERY_MS) {
          lastSync = Date.now();
          await file.sync();
        }
      },
    }),
  );
  const output = new Output({
    format: new OggOutputFormat({ maximumPageDuration: PAGE_SECONDS }),
    target,
  });
  const source = new EncodedAudioPacketSource('opus');
  output.addAudioTrack(source);
  let queue = output.start();
  let writtenSamples = 0;
  let expectedRtp: number | undefined;
  let startedAt: number | undefined;
  let first = true;

  function fail(error: unknown) {
    if (failed) return;
    failed = true;
    options.onError(error);
  }

  function add(payload: Uint8Array, samples: number) {
    const packet = new EncodedPacket(
      payload,
      'key',
      writtenSamples / SAMPLE_RATE,
      samples / SAMPLE_RATE,
    );
    writtenSamples += samples;
    const meta = first
      ? {
          decoderConfig: {
            codec: 'opus',
            numberOfChannels: 1,
            sampleRate: SAMPLE_RATE,
            description: opusHead(),
          },
        }
      : undefined;
    first = false;
    queue = queue.then(() => source.add(packet, meta)).catch(fail);
  }

  return {
    /** One RTP payload that arrived at `atMs` (any ms clock); kept, so pass a copy of a reused buffer. */
    push(payload: Uint8Array, rtpTimestamp: number, atMs: number): void {
      const samples = opusPacketSamples(payload);
      if (failed || samples === 0) return;
      startedAt ??= atMs;
      let gap = 0;
      if (expectedRtp !== undefined) {
        const rtpGap = (rtpTimestamp - expectedRtp) >>> 0;
        if (rtpGap <= MAX_RTP_GAP_SAMPLES) gap = rtpGap;
        // A late or repeated packet: its place in the file is gone.
        else if (rtpGap > 0x80000000 && 0x100000000 - rtpGap <= MAX_RTP_GAP_SAMPLES) return;
        else gap = Math.max(0, ((atMs - startedAt) * SAMPLE_RATE) / 1000 - writtenSamples);
      }
      for (let filled = 0; filled + 480 < gap; filled += 960) add(OPUS_SILENCE_20MS, 960);
      expectedRtp = (rtpTimestamp + samples) >>> 0;
      add(payload, samples);
    },

    /** Ms of audio in the file so far. */
    durationMs: () => (writtenSamples * 1000) / SAMPLE_RATE,

    /** Writes the last page and closes the file. */
    async close(): Promise<void> {
      await queue;
      if (!failed && !first) await output.finalize().catch(fail);
      else await output.cancel();
      await file.sync().catch(() => {});
      await file.close();
    },
  };
}

export type TrackRecorder = ReturnType<typeof createTrackRecorder>;
