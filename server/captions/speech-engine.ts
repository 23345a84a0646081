/** Sample rate every engine is fed: 16 kHz mono, signed 16-bit. */
export const ENGINE_SAMPLE_RATE = 16_000;

/**
 * What an engine recognised, in ms from the first sample written to its stream. A partial is the
 * current guess for the utterance under way and may change; a final closes the utterance.
 */
export type RecognisedSegment = { text: string; startMs: number; endMs: number; final: boolean };

/** One speaker's live recognition: PCM in, segments out through the callback given to `open`. */
export type SpeechStream = {
  /** 16 kHz mono samples, in order, without gaps (write silence for gaps). */
  write(samples: Int16Array): void;
  /**
   * Closes the utterance under way at this point of the audio, as a pause would: its final
   * follows. Nothing happens when no utterance is under way.
   */
  flush(): void;
  /** Ms of audio written that the engine has not recognised yet: how far behind it runs. */
  backlogMs(): number;
  /** Settles when the engine stops: after `end`, or on its own (a crash, a killed process). */
  readonly closed: Promise<void>;
  /** Flushes the last utterance (its final arrives before this resolves) and frees the engine. */
  end(): Promise<void>;
};

/**
 * A speech-to-text engine. Amphi opens one stream per speaker and keeps it open while they speak,
 * so an engine with a slow start (a model to load) pays it once per speaker, not per utterance.
 */
export type SpeechEngine = {
  readonly name: string;
  open(onSegment: (segment: RecognisedSegment) => void): Promise<SpeechStream>;
};
