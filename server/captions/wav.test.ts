import { describe, expect, it } from 'vitest';
import { parseWav } from './wav.ts';

function wav(samples: number[], rate = 8_000, channels = 1): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => {
    data.writeInt16LE(sample, i * 2);
  });
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * 2 * channels, 16);
  fmt.writeUInt16LE(2 * channels, 20);
  fmt.writeUInt16LE(16, 22);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(4 + fmt.length + 8 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'ascii');
  dataHeader.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, fmt, dataHeader, data]);
}

describe('parseWav', () => {
  it('reads the rate and samples of a mono 16-bit file', () => {
    const parsed = parseWav(wav([0, 1, -1, 32767, -32768], 16_000));
    expect(parsed.sampleRate).toBe(16_000);
    expect([...parsed.samples]).toEqual([0, 1, -1, 32767, -32768]);
  });

  it('refuses what it cannot read', () => {
    expect(() => parseWav(Buffer.from('not a wav file at all'))).toThrow('Not a WAV file');
    expect(() => parseWav(wav([1, 2], 8_000, 2))).toThrow('mono 16-bit');
  });
});
