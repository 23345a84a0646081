import { createBacklogShedder } from './backlog-shedder.ts';
import { createOpusToPcm, type OpusToPcm } from './opus-to-pcm.ts';
import { ENGINE_SAMPLE_RATE, type SpeechEngine, type SpeechStream } from './speech-engine.ts';
import { createStreamClock } from './stream-clock.ts';

/**
 * A caption in space time (ms since the space started). `degraded`: the engine runs behind this
 * speaker, so the caption is late or misses words dropped to catch up.
 */
export type TimedCaption = {
  text: string;
  startMs: number;
  endMs: number;
  final: boolean;
  degraded: boolean;
};

/**
 * After this long without packets (muted, left the stage), the utterance is closed. Generous:
 * packets held up by a busy event loop must not split a sentence.
 */
const IDLE_FLUSH_MS = 2000;
/** Silence written to close an utterance: enough for the engine's end-of-speech detection. */
const FLUSH_SILENCE_MS = 1000;
/** Packets held while the engine starts (~0.3 s); 20 ms each. */
const MAX_QUEUED = 250;

export type SpeakerCaptionerOptions = {
  engine: SpeechEngine;
  /** Ms since the space started, now. */
  now(): number;
  onCaption(caption: TimedCaption): void;
  onError(error: unknown): void;
};

/** One speaker's captions: Opus frames in (from the relay tap), timed captions out. */
export function createSpeakerCaptioner(options: SpeakerCaptionerOptions) {
  const clock = createStreamClock();
  const shedder = createBacklogShedder();
  let writtenSamples = 0;
  const createdAt = options.now();
  let lastPacketAt = Number.NEGATIVE_INFINITY;
  let flushed = true;
  let parts: { pcm: OpusToPcm; stream: SpeechStream } | undefined;
  const queue: [Uint8Array, number, number][] = [];
  const writtenMs = () => (writtenSamples * 1000) / ENGINE_SAMPLE_RATE;

  const ready = Promise.all([
    createOpusToPcm(),
    options.engine.open((segment) => {
      const caption = {
        text: segment.text,
        startMs: clock.toSpaceMs(segment.startMs),
        endMs: clock.toSpaceMs(segment.endMs),
        final: segment.final,
        degraded: shedder.degraded(parts?.stream.backlogMs() ?? 0, segment.final),
      };
      if (segment.final) clock.forgetBefore(segment.endMs);
      options.onCaption(caption);
    }),
  ]).then(([pcm, stream]) => {
    parts = { pcm, stream };
    for (const [payload, timestamp, at] of queue.splice(0)) feed(payload, timestamp, at);
  });
  ready.catch(options.onError);

  function write(samples: Int16Array) {
    parts?.stream.write(samples);
    writtenSamples += samples.length;
  }

  function feed(payload: Uint8Array, rtpTimestamp: number, at: number) {
    if (!parts) return;
    lastPacketAt = at;
    flushed = false;
    if (!shedder.admit(parts.stream.backlogMs())) {
      // The next admitted packet starts a new run, placed by its arrival.
      parts.pcm.restart();
      return;
    }
    const { pcm, continuous } = parts.pcm.decode(payload, rtpTimestamp);
    // Within a run of packets, the sender's RTP clock times the speech (arrival times bunch up
    // when the network or the event loop stalls); a new run is placed by its arrival.
    if (!continuous) clock.anchor(writtenMs(), Math.max(at, clock.toSpaceMs(writtenMs())));
    for (const samples of pcm) write(samples);
  }

  return {
    /** One Opus frame; copied if it must wait for the engine to start. */
    push(payload: Uint8Array, rtpTimestamp: number): void {
      const at = options.now();
      if (parts) feed(payload, rtpTimestamp, at);
      else if (queue.length < MAX_QUEUED) queue.push([Uint8Array.from(payload), rtpTimestamp, at]);
    },

    /** Closes the utterance under way once the speaker has gone quiet; call it every ~200 ms. */
    tick(): void {
      if (!parts || flushed || options.now() - lastPacketAt < IDLE_FLUSH_MS) return;
      flushed = true;
      write(new Int16Array((FLUSH_SILENCE_MS * ENGINE_SAMPLE_RATE) / 1000));
      parts.pcm.restart();
    },

    /** Ms since the speaker's last packet (or since this captioner was made). */
    idleMs: () => options.now() - Math.max(lastPacketAt, createdAt),

    /** Ends the stream: the last utterance's final arrives before this resolves. */
    async end(): Promise<void> {
      await ready.catch(() => {});
      if (!parts) return;
      await parts.stream.end();
      parts.pcm.free();
    },
  };
}

export type SpeakerCaptioner = ReturnType<typeof createSpeakerCaptioner>;
