import { MIX_FRAME_SAMPLES, MIX_SAMPLE_RATE } from '../broadcast/live-mixer.ts';
import type { MixHub } from '../broadcast/mix-hub.ts';
import type { Relay } from '../media/relay/relay.ts';
import { OPUS_SILENCE_20MS } from './opus-packet.ts';
import { runKeys, writeRunStart } from './recording-runs.ts';
import type { RecordingStorage } from './recording-storage.ts';
import { createTrackRecorder, type TrackRecorder } from './track-recorder.ts';

const MIX_PACKET_MS = (MIX_FRAME_SAMPLES * 1000) / MIX_SAMPLE_RATE;

/** One speaker's file in a recording; `startMs` is in space time, like caption times. */
export type RecordedTrack = { speaker: string; key: string; startMs: number };

export type SpaceRecorderOptions = {
  relay: Relay;
  spaceId: string;
  storage: RecordingStorage;
  /** Prefix of every file key of this recording. */
  keyPrefix: string;
  /**
   * Which run of this recording's recorder this is (recording-runs.ts): a server restarted
   * mid-space runs it again, into files of the new run's own. @default 1
   */
  run?: number;
  /**
   * The space's live mix, written to `<keyPrefix>/mixed.ogg` for playback (time 0 there is
   * `startMs`; a later run's file starts when it does and is joined to it when the space ends);
   * none without it.
   */
  mixes?: MixHub;
  /**
   * Where the recording starts, in space time (`Recording.startMs`): the mixed track is padded
   * with silence back to it, since the recorder starts a little later. @default now()
   */
  startMs?: number;
  /** Ms since the space started, now (the clock captions use). */
  now(): number;
  /** A speaker's file was created (before any audio is in it). */
  onTrack(track: RecordedTrack): void;
  onError(error: unknown): void;
};

/** Key of a recording's mixed track, under its prefix (the replay reads it there). */
export const MIXED_TRACK = 'mixed.ogg';

/**
 * Records one live space on this instance: taps the relay for its publishers' audio and writes
 * one Ogg Opus file per speaker, as received, and the mix of them all as one more file.
 */
export function startSpaceRecorder(options: SpaceRecorderOptions) {
  const tracks = new Map<string, Promise<TrackRecorder | null>>();
  let count = 0;
  const run = options.run ?? 1;
  const keys = runKeys(options.keyPrefix, run);

  async function trackOf(speaker: string, startMs: number): Promise<TrackRecorder | null> {
    const key = keys.track(++count);
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

  const mixed = options.mixes ? recordMix(options.mixes) : null;

  function recordMix(mixes: MixHub) {
    const recordingStartMs = options.startMs ?? options.now();
    // A later run's file starts now (its time 0), and says so before it exists.
    const startMs = run === 1 ? recordingStartMs : options.now();
    const created =
      run === 1
        ? options.storage.create(keys.mixed)
        : writeRunStart(options.storage, options.keyPrefix, run, startMs - recordingStartMs).then(
            () => options.storage.create(keys.mixed),
          );
    const file = created.then(
      (writer) => createTrackRecorder({ file: writer, onError: options.onError }),
      (error: unknown) => {
        options.onError(error);
        return null;
      },
    );
    let aligned = false;
    const unsubscribe = mixes.subscribe(options.spaceId, (packet, sample, ageMs) => {
      const at = options.now();
      // The mix is contiguous 20 ms packets: its sample count is an RTP clock without gaps.
      if (!aligned) {
        // The file's time 0 is the recording's start: silence until the mix's first packet, or
        // none of the packets mixed before it.
        const leadMs = at - ageMs - startMs;
        const lead = Math.round(leadMs / MIX_PACKET_MS);
        if (lead < 0) return;
        aligned = true;
        for (let i = lead; i > 0; i--) {
          const silent = (sample - i * MIX_FRAME_SAMPLES) >>> 0;
          void file.then((recorder) => recorder?.push(OPUS_SILENCE_20MS, silent, at));
        }
      }
      void file.then((recorder) => recorder?.push(packet, sample >>> 0, at));
    });
    return { file, unsubscribe };
  }

  return {
    /** Stops listening and closes every file. */
    async stop(): Promise<void> {
      untap();
      // The mix runs a little behind the space: its last words are still held back.
      mixed?.unsubscribe({ flush: true });
      const recorders = await Promise.all([...tracks.values(), mixed?.file ?? null]);
      await Promise.all(recorders.map((recorder) => recorder?.close()));
    },
  };
}

export type SpaceRecorder = ReturnType<typeof startSpaceRecorder>;
