import type { Relay } from '../media/relay/relay.ts';
import { createPartialThrottle } from './partial-throttle.ts';
import {
  createSpeakerCaptioner,
  type SpeakerCaptioner,
  type TimedCaption,
} from './speaker-captioner.ts';
import type { SpeechEngine } from './speech-engine.ts';

/** At most ~3 partial captions a second per speaker reach subscribers. */
export const PARTIAL_INTERVAL_MS = 300;
const TICK_MS = 200;
/** A speaker's engine process is freed after this long without audio; it restarts if they speak. */
const RETIRE_AFTER_MS = 60_000;

export type SpaceCaptionsOptions = {
  relay: Relay;
  spaceId: string;
  engine: SpeechEngine;
  /** Ms since the space started, now. */
  now(): number;
  /** `speaker` is the relay's participant id. */
  onCaption(speaker: string, caption: TimedCaption): void;
};

/**
 * Captions for one live space on this instance: taps the relay for its publishers' audio and
 * runs one captioner (one engine stream) per speaker, publishing throttled partials and finals.
 * When someone starts speaking, the lines of the others still under way are closed, so the
 * transcript reads in turns.
 */
export function startSpaceCaptions(options: SpaceCaptionsOptions) {
  const speakers = new Map<string, SpeakerCaptioner>();
  const throttle = createPartialThrottle(PARTIAL_INTERVAL_MS, options.now);
  const endings = new Set<Promise<void>>();
  /** Speakers with an utterance under way (a partial heard, no final yet). */
  const talking = new Set<string>();

  function turnTaken(speaker: string, caption: TimedCaption) {
    if (caption.final) {
      talking.delete(speaker);
      return;
    }
    if (!caption.text || talking.has(speaker)) return;
    talking.add(speaker);
    for (const other of talking) if (other !== speaker) speakers.get(other)?.flush();
  }

  function retire(speaker: string, captioner: SpeakerCaptioner) {
    speakers.delete(speaker);
    talking.delete(speaker);
    const ending = captioner.end().finally(() => endings.delete(ending));
    endings.add(ending);
  }

  function captionerOf(speaker: string): SpeakerCaptioner {
    let captioner = speakers.get(speaker);
    if (!captioner) {
      const created = createSpeakerCaptioner({
        engine: options.engine,
        now: options.now,
        onCaption: (caption) => {
          turnTaken(speaker, caption);
          if (caption.text && throttle.admit(speaker, caption.final)) {
            options.onCaption(speaker, caption);
          }
        },
        // The captioner restarts its engine itself, with backoff.
        onError: (error) =>
          console.error('captions: the speech engine failed for a speaker', error),
      });
      captioner = created;
      speakers.set(speaker, captioner);
    }
    return captioner;
  }

  const untap = options.relay.tapSpace(options.spaceId, (speaker, payload, rtpTimestamp) =>
    captionerOf(speaker).push(payload, rtpTimestamp),
  );
  const ticker = setInterval(() => {
    for (const [speaker, captioner] of speakers) {
      captioner.tick();
      if (captioner.idleMs() > RETIRE_AFTER_MS) retire(speaker, captioner);
    }
  }, TICK_MS).unref();

  return {
    /** Stops listening; finals of utterances under way are still delivered before it resolves. */
    async stop(): Promise<void> {
      untap();
      clearInterval(ticker);
      for (const [speaker, captioner] of [...speakers]) retire(speaker, captioner);
      await Promise.all(endings);
    },
  };
}

export type SpaceCaptions = ReturnType<typeof startSpaceCaptions>;
