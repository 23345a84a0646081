import { Encoder } from '@evan/opus';
import { describe, expect, it } from 'vitest';
import { decodeHlsSegment, parseMediaPlaylist } from '../../tests/helpers/hls-segments.ts';
import { createHlsBroadcast } from './hls-broadcast.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('createHlsBroadcast', () => {
  it('slides a live playlist of 2 s fMP4 Opus segments that decode', async () => {
    const broadcast = createHlsBroadcast({ runId: 'run1', windowSegments: 3, retiredSegments: 1 });
    const encoder = new Encoder({ channels: 1, sample_rate: 48_000, application: 'voip' });
    const frame = new Int16Array(960);
    for (let i = 0; i < frame.length; i++) frame[i] = Math.round(Math.sin(i / 7) * 8000);
    // 13 s of mix, starting where a mix already running would be.
    for (let n = 0; n < 650; n++) {
      broadcast.add(Uint8Array.from(encoder.encode(frame)), 96_000 + n * 960);
      if (n % 50 === 0) await settle();
    }
    await settle();
    const playlist = parseMediaPlaylist(broadcast.playlist() ?? '');
    expect(playlist.map).toBe('run1-init.mp4');
    expect(playlist.segments).toHaveLength(3);
    expect(playlist.sequence).toBeGreaterThanOrEqual(2);
    expect(playlist.segments[0]).toBe(`run1-${playlist.sequence + 1}.m4s`);
    const init = broadcast.file('run1-init.mp4');
    expect(init).not.toBeNull();
    for (const name of playlist.segments) {
      const segment = broadcast.file(name);
      expect(segment).not.toBeNull();
      const decoded = await decodeHlsSegment(init!, segment!);
      expect(decoded.codec).toBe('opus');
      expect(Math.abs(decoded.durationMs - 2000)).toBeLessThanOrEqual(20);
      expect(decoded.loudFrames).toBeGreaterThan(90);
    }
    // One retired segment is still served; the one before it is gone.
    expect(broadcast.file(`run1-${playlist.sequence}.m4s`)).not.toBeNull();
    expect(broadcast.file(`run1-${playlist.sequence - 1}.m4s`)).toBeNull();
    await broadcast.close();
  });
});
