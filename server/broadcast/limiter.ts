/** Peak the mix may reach (full scale 1). */
const CEILING = 0.95;
/** Per frame, the gain recovers this fraction of the way back to 1 (about 0.5 s at 20 ms frames). */
const RELEASE = 0.04;

/**
 * Keeps a sum of voices from clipping: a peak limiter whose gain drops at once to what the loudest
 * sample of a frame needs, and returns slowly, ramped across each frame so the gain never steps
 * within a frame (a step is a click). Hard clipping would distort two loud speakers at once.
 */
export function createLimiter() {
  let gain = 1;

  return {
    /** Scales `frame` in place and returns it as 16-bit PCM. */
    apply(frame: Float32Array): Int16Array {
      let peak = 0;
      for (const sample of frame) peak = Math.max(peak, Math.abs(sample));
      const target = Math.min(1, gain + (1 - gain) * RELEASE, CEILING / peak);
      const out = new Int16Array(frame.length);
      // Falling gain applies from the frame's start (the peak may be its first sample).
      const from = Math.min(target, gain);
      for (let i = 0; i < frame.length; i++) {
        const g = from + ((target - from) * i) / frame.length;
        const sample = Math.max(-1, Math.min(1, frame[i]! * g));
        out[i] = Math.round(sample * 32767);
      }
      gain = target;
      return out;
    },
    /** The gain applied at the end of the last frame. */
    gain: () => gain,
  };
}
