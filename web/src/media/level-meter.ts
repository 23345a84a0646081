import type { Clock } from './clock.ts';

/** Root mean square of audio samples (-1..1), clamped to 0..1. */
export function rmsLevel(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.min(1, Math.sqrt(sum / samples.length));
}

/** The local microphone's level, read on demand and measured at most once per interval. */
export type LevelMeter = { level(): number; close(): void };

export type LevelMeterOptions = {
  clock: Clock;
  /** @default 100 */
  intervalMs?: number;
  /** @default () => new AudioContext() */
  createAudioContext?: () => AudioContext;
};

/** Measures a microphone track with a WebAudio AnalyserNode (not connected to the speakers). */
export function createLevelMeter(track: MediaStreamTrack, options: LevelMeterOptions): LevelMeter {
  const { clock, intervalMs = 100 } = options;
  const context = (options.createAudioContext ?? (() => new AudioContext()))();
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const buffer = new Float32Array(analyser.fftSize);
  let measuredAt = Number.NEGATIVE_INFINITY;
  let last = 0;
  return {
    level() {
      if (!track.enabled || track.readyState === 'ended') return 0;
      // A context created before any user gesture starts suspended and reads silence.
      if (context.state === 'suspended') void context.resume().catch(() => {});
      const now = clock.now();
      if (now - measuredAt < intervalMs) return last;
      measuredAt = now;
      analyser.getFloatTimeDomainData(buffer);
      last = rmsLevel(buffer);
      return last;
    },
    close() {
      source.disconnect();
      void context.close().catch(() => {});
    },
  };
}
