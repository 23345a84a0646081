import { createBacklogShedder } from './backlog-shedder.ts';
import { createOpusToPcm, type OpusToPcm } from './opus-to-pcm.ts';
import { createRestartBackoff } from './restart-backoff.ts';
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
/**
 * A speaker who never pauses still gets final captions: an utterance is closed at the first gap
 * between words (QUIET_FRAMES quiet frames in a row) after SOFT_UTTERANCE_MS, and at
 * MAX_UTTERANCE_MS regardless. A single quiet frame is often inside a word (a stop consonant).
 */
const SOFT_UTTERANCE_MS = 8000;
const QUIET_FRAMES = 3;
const MAX_UTTERANCE_MS = 10_000;
/** RMS (16-bit full scale) under which a frame counts as a gap between words. */
const QUIET_RMS = 400;
/** Packets held while the engine starts (~0.3 s); 20 ms each. */
const MAX_QUEUED = 250;

export type SpeakerCaptionerOptions = {
  engine: SpeechEngine;
  /** Ms since the space started, now. */
  now(): number;
  onCaption(caption: TimedCaption): void;
  onError(error: unknown): void;
};

/** One engine stream and the clock of the audio written to it (its times count from 0). */
type Session = {
  stream: SpeechStream | null;
  clock: ReturnType<typeof createStreamClock>;
  writtenSamples: number;
  openedAt: number;
  /**
   * Where the utterance under way started, in space time (so audio dropped under overload still
   * counts towards its length), once the engine reported it.
   */
  utteranceFrom: number | null;
  /** A flush was sent for the utterance under way; its final is on the way. */
  closing: boolean;
  /** Quiet frames written in a row. */
  quietRun: number;
};

function rms(samples: Int16Array): number {
  let energy = 0;
  for (const sample of samples) energy += sample * sample;
  return samples.length ? Math.sqrt(energy / samples.length) : 0;
}

/**
 * One speaker's captions: Opus frames in (from the relay tap), timed captions out. An engine that
 * dies (or fails to start) is restarted with backoff; audio in between is not captioned.
 */
export function createSpeakerCaptioner(options: SpeakerCaptionerOptions) {
  const shedder = createBacklogShedder();
  const backoff = createRestartBackoff();
  const createdAt = options.now();
  let lastPacketAt = Number.NEGATIVE_INFINITY;
  let flushed = true;
  let ending = false;
  let pcm: OpusToPcm | undefined;
  let session: Session | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let opening = Promise.resolve();
  const queue: [Uint8Array, number, number][] = [];
  const writtenMs = (of: Session) => (of.writtenSamples * 1000) / ENGINE_SAMPLE_RATE;
  const live = () => (pcm && session?.stream ? { pcm, session, stream: session.stream } : null);

  function open() {
    const next: Session = {
      stream: null,
      clock: createStreamClock(),
      writtenSamples: 0,
      openedAt: options.now(),
      utteranceFrom: null,
      closing: false,
      quietRun: 0,
    };
    session = next;
    opening = options.engine
      .open((segment) => {
        const caption = {
          text: segment.text,
          startMs: next.clock.toSpaceMs(segment.startMs),
          endMs: next.clock.toSpaceMs(segment.endMs),
          final: segment.final,
          degraded: shedder.degraded(next.stream?.backlogMs() ?? 0, segment.final),
        };
        if (segment.final) {
          next.clock.forgetBefore(segment.endMs);
          next.utteranceFrom = null;
          next.closing = false;
        } else if (next.utteranceFrom === null && segment.text) {
          next.utteranceFrom = caption.startMs;
        }
        options.onCaption(caption);
      })
      .then((stream) => {
        next.stream = stream;
        if (ending) return;
        void stream.closed.then(() => {
          if (!ending && session === next) died(next, new Error(`${options.engine.name} stopped`));
        });
        feedQueued();
      })
      .catch((error: unknown) => died(next, error));
  }

  function feedQueued() {
    if (live())
      for (const [payload, timestamp, at] of queue.splice(0)) feed(payload, timestamp, at);
  }

  function died(dead: Session, error: unknown) {
    options.onError(error);
    if (ending || session !== dead) return;
    session = undefined;
    queue.length = 0;
    // The restarted engine's clock starts afresh: its first packet is placed by arrival.
    pcm?.restart();
    const delay = backoff.delayAfter(options.now() - dead.openedAt);
    restartTimer = setTimeout(open, delay);
    restartTimer.unref();
  }

  const decoding = createOpusToPcm().then((decoder) => {
    pcm = decoder;
    feedQueued();
  });
  decoding.catch(options.onError);
  open();

  function write(to: Session, stream: SpeechStream, samples: Int16Array) {
    stream.write(samples);
    to.writtenSamples += samples.length;
    to.quietRun = rms(samples) < QUIET_RMS ? to.quietRun + 1 : 0;
    if (to.utteranceFrom === null || to.closing) return;
    const length = to.clock.toSpaceMs(writtenMs(to)) - to.utteranceFrom;
    const atGap = length >= SOFT_UTTERANCE_MS && to.quietRun >= QUIET_FRAMES;
    if (length >= MAX_UTTERANCE_MS || atGap) {
      close(to, stream);
    }
  }

  function close(to: Session, stream: SpeechStream) {
    stream.flush();
    if (to.utteranceFrom !== null) to.closing = true;
  }

  function feed(payload: Uint8Array, rtpTimestamp: number, at: number) {
    const parts = live();
    if (!parts) return;
    lastPacketAt = at;
    flushed = false;
    if (!shedder.admit(parts.stream.backlogMs())) {
      // The next admitted packet starts a new run, placed by its arrival.
      parts.pcm.restart();
      return;
    }
    const { pcm: samples, continuous } = parts.pcm.decode(payload, rtpTimestamp);
    // Within a run of packets, the sender's RTP clock times the speech (arrival times bunch up
    // when the network or the event loop stalls); a new run is placed by its arrival.
    const { clock } = parts.session;
    if (!continuous) {
      const written = writtenMs(parts.session);
      clock.anchor(written, Math.max(at, clock.toSpaceMs(written)));
    }
    for (const chunk of samples) write(parts.session, parts.stream, chunk);
  }

  return {
    /** One Opus frame; copied if it must wait for the engine to start (not to restart). */
    push(payload: Uint8Array, rtpTimestamp: number): void {
      const at = options.now();
      if (live()) feed(payload, rtpTimestamp, at);
      else if (session && queue.length < MAX_QUEUED) {
        queue.push([Uint8Array.from(payload), rtpTimestamp, at]);
      }
    },

    /** Closes the utterance under way once the speaker has gone quiet; call it every ~200 ms. */
    tick(): void {
      const parts = live();
      if (!parts || flushed || options.now() - lastPacketAt < IDLE_FLUSH_MS) return;
      flushed = true;
      close(parts.session, parts.stream);
      parts.pcm.restart();
    },

    /** Closes the utterance under way now (another speaker took over): its final follows. */
    flush(): void {
      const parts = live();
      if (parts) close(parts.session, parts.stream);
    },

    /** Ms since the speaker's last packet (or since this captioner was made). */
    idleMs: () => options.now() - Math.max(lastPacketAt, createdAt),

    /** Ends the stream: the last utterance's final arrives before this resolves. */
    async end(): Promise<void> {
      ending = true;
      clearTimeout(restartTimer);
      await Promise.all([decoding.catch(() => {}), opening]);
      await session?.stream?.end();
      pcm?.free();
    },
  };
}

export type SpeakerCaptioner = ReturnType<typeof createSpeakerCaptioner>;
