import type { Relay } from '../media/relay/relay.ts';
import type { RecordingStorage } from './recording-storage.ts';
import { createTrackRecorder, type TrackRecorder } from './track-recorder.ts';

/** One speaker's file in a recording; `startMs` is in space time, like caption times. */
export type RecordedTrack = { speaker: string; key: string; startMs: number };

export type SpaceRecorderOptions = {
  relay: Relay;
  spaceId: string;
  storage: RecordingStorage;
  /** Prefix of every file key of this recording. */
  keyPrefix: string;
  /** Ms since the space started, now (the clock captions use). */
  now(): number;
  /** A speaker's file was created (before any audio is in it). */
  onTrack(track: RecordedTrack): void;
  onError(error: unknown): void;
};

/**
 * Records one live space on this instance: taps the relay for its publishers' audio and writes
 * one Ogg Opus file per speaker, as received.
 */
export function startSpaceRecorder(options: SpaceRecorderOptions) {
  const tracks = new Map<string, Promise<TrackRecorder | null>>();
  let count = 0;

  async function trackOf(speaker: string, startMs: number): Promise<TrackRecorder | null> {
    const key = `${options.keyPrefix}/track-${++count}.ogg`;
    try {
      const file = await options.storage.create(key);
      options.onTrack({ speaker, key, startMs });
      return createTrackRecorder({ file, onError: options.onError });
    } catch (error) {
      options.onError(error);
      return null;
    }
  }

  const untap = options.relay.tapSpace(options.spaceId, (speaker, payload, rtpTimestamp) => {
    const at = options.now();
    let track = tracks.get(speaker);
    if (!track) {
      track = trackOf(speaker, at);
      tracks.set(speaker, track);
    }
    // Packets arriving while the file is created are kept in order behind it.
    const copy = Uint8Array.from(payload);
    void track.then((recorder) => recorder?.push(copy, rtpTimestamp, at));
  });

  return {
    /** Stops listening and closes every file. */
    async stop(): Promise<void> {
      untap();
      const recorders = await Promise.all(tracks.values());
      await Promise.all(recorders.map((recorder) => recorder?.close()));
    },
  };
}

export type SpaceRecorder = ReturnType<typeof startSpaceRecorder>;
