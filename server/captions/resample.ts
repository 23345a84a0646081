/**
 * Resamples mono PCM by linear interpolation. Good enough to bring 8 kHz synthetic speech up to
 * WebRTC's 48 kHz (no energy above the source's Nyquist to alias); not a downsampler: going down
 * needs a low-pass first (live audio is decoded straight at 16 kHz by libopus instead).
 */
export function resample(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate <= 0 || toRate <= 0) throw new RangeError('Sample rates must be positive.');
  if (toRate < fromRate) throw new RangeError('Only upsampling is supported.');
  const length = Math.floor((samples.length * toRate) / fromRate);
  const out = new Int16Array(length);
  const step = fromRate / toRate;
  for (let i = 0; i < length; i++) {
    const position = i * step;
    const index = Math.floor(position);
    const fraction = position - index;
    const a = samples[index] ?? 0;
    const b = samples[index + 1] ?? a;
    out[i] = Math.round(a + (b - a) * fraction);
  }
  return out;
}
