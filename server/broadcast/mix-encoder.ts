import { Encoder } from '@evan/opus';
import { MIX_SAMPLE_RATE } from './live-mixer.ts';

/** Speech in mono: 32 kb/s is transparent for voices and a fifth of a 2 s segment is 8 kB. */
const BITRATE = 32_000;

/**
 * Opus encoding of the mix. @evan/opus because it is libopus itself (a prebuilt N-API binding on
 * Linux/macOS/Windows x64 and arm64, its WebAssembly build elsewhere), installs from the npm
 * registry alone and encodes a 20 ms frame in about 0.2 ms here (1% of a core per space);
 * opusscript is an older Emscripten build of the same library, and libav.js brings all of ffmpeg
 * (megabytes of WebAssembly) for one codec. Opus, not AAC: the recording is Ogg Opus, the relay
 * already speaks it, and hls.js plays Opus in fMP4 in Chromium and Firefox (Safari plays it from
 * iOS 17 / macOS 14).
 */
export function createMixEncoder() {
  const encoder = new Encoder({ channels: 1, sample_rate: MIX_SAMPLE_RATE, application: 'voip' });
  encoder.bitrate = BITRATE;
  return {
    /** One 20 ms frame of 16-bit PCM as one Opus packet (a copy: the binding reuses its buffer). */
    encode: (frame: Int16Array): Uint8Array => Uint8Array.from(encoder.encode(frame)),
  };
}
