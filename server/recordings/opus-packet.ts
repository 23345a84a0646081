/**
 * Samples (at 48 kHz) in an Opus packet, from its TOC byte and frame count (RFC 6716 §3.1).
 * Read by hand because it is two table look-ups: the recorder needs each packet's duration to
 * place the next one and to fill gaps, and no container library exposes it for raw packets.
 */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) return 0;
  const config = toc >> 3;
  const frameSamples =
    config < 12
      ? [480, 960, 1920, 2880][config % 4]!
      : config < 16
        ? [480, 960][config % 2]!
        : [120, 240, 480, 960][config % 4]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frameSamples * frames;
}

/** A 20 ms Opus packet of silence (CELT, mono): what the recorder writes where a speaker sent none. */
export const OPUS_SILENCE_20MS = Uint8Array.of(0xf8, 0xff, 0xfe);

/**
 * The Ogg Opus identification header (RFC 7845 §5.1) for mono 48 kHz, which mediabunny wants as
 * the decoder description. Pre-skip is 0: the packets come from someone else's encoder, whose
 * look-ahead is unknown, and 0 keeps the file's time equal to the space's.
 */
export function opusHead(channels = 1): Uint8Array<ArrayBuffer> {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode('OpusHead'));
  head[8] = 1;
  head[9] = channels;
  view.setUint16(10, 0, true);
  view.setUint32(12, 48_000, true);
  return head;
}
