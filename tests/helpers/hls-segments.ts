import { BufferSource, EncodedPacketSink, Input, MP4 } from 'mediabunny';
import { OpusDecoder } from 'opus-decoder';

/** RMS (16-bit full scale) above which a decoded 20 ms frame counts as sound. */
const LOUD_RMS = 300;

/** The segment URIs of an HLS media playlist, and its media sequence number. */
export function parseMediaPlaylist(text: string) {
  const lines = text.split('\n').map((line) => line.trim());
  const sequence = Number(
    lines.find((line) => line.startsWith('#EXT-X-MEDIA-SEQUENCE:'))?.split(':')[1],
  );
  const map = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1] ?? null;
  const segments = lines.filter((line) => line !== '' && !line.startsWith('#'));
  return { sequence, map, segments };
}

/**
 * Reads one fMP4 media segment behind its init segment, as a player appends them, and decodes
 * every Opus packet with libopus.
 */
export async function decodeHlsSegment(init: Uint8Array, segment: Uint8Array) {
  const bytes = new Uint8Array(init.length + segment.length);
  bytes.set(init);
  bytes.set(segment, init.length);
  const input = new Input({ formats: [MP4], source: new BufferSource(bytes) });
  const track = await input.getPrimaryAudioTrack();
  if (!track) throw new Error('no audio track in the segment');
  const decoder = new OpusDecoder({ channels: 1, sampleRate: 48_000 });
  await decoder.ready;
  let samples = 0;
  let loudFrames = 0;
  try {
    for await (const packet of new EncodedPacketSink(track).packets()) {
      const { channelData, samplesDecoded, errors } = decoder.decodeFrame(packet.data);
      if (errors.length > 0) throw new Error(`undecodable packet: ${errors[0]?.message}`);
      samples += samplesDecoded;
      const pcm = channelData[0]?.subarray(0, samplesDecoded) ?? new Float32Array();
      let energy = 0;
      for (const sample of pcm) energy += sample * sample;
      if (Math.sqrt(energy / Math.max(1, pcm.length)) * 32767 > LOUD_RMS) loudFrames++;
    }
  } finally {
    decoder.free();
    input.dispose();
  }
  return { codec: track.codec, durationMs: (samples * 1000) / 48_000, loudFrames };
}
