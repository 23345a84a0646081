import { describe, expect, it } from 'vitest';
import { OPUS_SILENCE_20MS, opusPacketSamples } from './opus-packet.ts';

describe('opusPacketSamples', () => {
  it('reads the duration browsers send and the other frame sizes and counts', () => {
    expect(opusPacketSamples(OPUS_SILENCE_20MS)).toBe(960);
    // SILK wideband 20 ms (config 9), one frame: what WebRTC voice mostly is.
    expect(opusPacketSamples(Uint8Array.of(9 << 3, 0))).toBe(960);
    // CELT 10 ms (config 30), two equal frames (code 1).
    expect(opusPacketSamples(Uint8Array.of((30 << 3) | 1))).toBe(960);
    // Hybrid 10 ms (config 12), code 3 with 6 frames.
    expect(opusPacketSamples(Uint8Array.of((12 << 3) | 3, 6))).toBe(2880);
    expect(opusPacketSamples(new Uint8Array())).toBe(0);
  });
});
