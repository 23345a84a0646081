import {
  BufferTarget,
  CmafOutputFormat,
  EncodedAudioPacketSource,
  EncodedPacket,
  HlsOutputFormat,
  Output,
  PathedTarget,
  type Target,
} from 'mediabunny';
import { opusHead } from '../recordings/opus-packet.ts';
import { MIX_SAMPLE_RATE } from './live-mixer.ts';

/** The media playlist's name (hls.js and Safari are pointed at it directly). */
export const PLAYLIST_FILE = 'live.m3u8';

export type HlsBroadcastOptions = {
  /**
   * Names this run's segments: a space broadcast again later gets new segment names, so a segment
   * URL always means the same bytes and may be cached for ever.
   */
  runId: string;
  /** Seconds per segment. @default 2 */
  segmentSeconds?: number;
  /** Segments in the live playlist's sliding window. @default 6 */
  windowSegments?: number;
  /** Segments kept after they left the window, for players and caches a little behind. @default 4 */
  retiredSegments?: number;
};

/**
 * A space's mix as live HLS: fMP4 (CMAF) segments of Opus with a sliding-window media playlist,
 * made by mediabunny's HLS muxer in live mode and kept in memory (a few hundred kB: 32 kb/s
 * times the window). Opus goes in as encoded, so this costs muxing only.
 */
export function createHlsBroadcast(options: HlsBroadcastOptions) {
  const files = new Map<string, Uint8Array>();
  const paths = new Map<Target, string>();
  const retired: string[] = [];
  let playlist: string | null = null;
  const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const keep = (target: Target) => {
    const path = paths.get(target);
    paths.delete(target);
    if (path && target instanceof BufferTarget && target.buffer) {
      files.set(path, new Uint8Array(target.buffer));
    }
  };
  const output = new Output({
    format: new HlsOutputFormat({
      segmentFormat: new CmafOutputFormat(),
      targetDuration: options.segmentSeconds ?? 2,
      live: true,
      maxLiveSegmentCount: options.windowSegments ?? 6,
      getPlaylistPath: () => PLAYLIST_FILE,
      getInitPath: () => `${options.runId}-init.mp4`,
      getSegmentPath: ({ n }) => `${options.runId}-${n}.m4s`,
      onPlaylist: (content) => {
        playlist = content;
      },
      onInit: keep,
      onSegment: keep,
      onSegmentPopped: (path) => {
        retired.push(fileName(path));
        while (retired.length > (options.retiredSegments ?? 4)) files.delete(retired.shift()!);
      },
    }),
    target: new PathedTarget('master.m3u8', (request) => {
      const target = new BufferTarget();
      paths.set(target, fileName(request.path));
      return target;
    }),
  });
  const source = new EncodedAudioPacketSource('opus');
  output.addAudioTrack(source);
  let queue: Promise<unknown> = output.start();
  let firstSample: number | undefined;
  let failure: unknown = null;

  return {
    /** One 20 ms Opus packet of the mix, starting at `sample` (48 kHz). */
    add(packet: Uint8Array, sample: number): void {
      if (failure) return;
      const first = firstSample === undefined;
      firstSample ??= sample;
      const encoded = new EncodedPacket(
        packet,
        'key',
        (sample - firstSample) / MIX_SAMPLE_RATE,
        960 / MIX_SAMPLE_RATE,
      );
      const meta = first
        ? {
            decoderConfig: {
              codec: 'opus' as const,
              numberOfChannels: 1,
              sampleRate: MIX_SAMPLE_RATE,
              description: opusHead(),
            },
          }
        : undefined;
      queue = queue
        .then(() => source.add(encoded, meta))
        .catch((error: unknown) => {
          failure = error;
        });
    },

    /** The live media playlist, or null until the first segment is done. */
    playlist: () => playlist,

    /** A segment or the init segment by file name, while it is kept. */
    file: (name: string): Uint8Array | null => files.get(name) ?? null,

    /** What went wrong in the muxer, if anything did (the broadcast then stops growing). */
    failure: () => failure,

    async close(): Promise<void> {
      await queue;
      await output.cancel();
      files.clear();
    },
  };
}

export type HlsBroadcast = ReturnType<typeof createHlsBroadcast>;
