import { BufferSource, EncodedPacketSink, Input, OGG } from 'mediabunny';
import { OpusDecoder } from 'opus-decoder';

/** RMS (16-bit full scale) above which a decoded 20 ms frame counts as sound. */
const LOUD_RMS = 300;

/**
 * Reads an Ogg Opus file (possibly cut short by a crash) and decodes every packet with libopus:
 * what a player would get out of it.
 */
export async function decodeOggOpus(bytes: Uint8Array) {
  const input = new Input({ formats: [OGG], source: new BufferSource(bytes) });
  const track = await input.getPrimaryAudioTrack();
  if (!track) throw new Error('no audio track in the file');
  const decoder = new OpusDecoder({ channels: 1, sampleRate: 48_000 });
  await decoder.ready;
  let samples = 0;
  let loudFrames = 0;
  let packets = 0;
  const loudAtMs: number[] = [];
  try {
    for await (const packet of new EncodedPacketSink(track).packets()) {
      const { channelData, samplesDecoded, errors } = decoder.decodeFrame(packet.data);
      if (errors.length > 0) throw new Error(`undecodable packet: ${errors[0]?.message}`);
      packets++;
      samples += samplesDecoded;
      const pcm = channelData[0]?.subarray(0, samplesDecoded) ?? new Float32Array();
      let energy = 0;
      for (const sample of pcm) energy += sample * sample;
      if (Math.sqrt(energy / Math.max(1, pcm.length)) * 32767 > LOUD_RMS) {
        loudFrames++;
        loudAtMs.push(((samples - samplesDecoded) * 1000) / 48_000);
      }
    }
  } finally {
    decoder.free();
    input.dispose();
  }
  return {
    packets,
    durationMs: (samples * 1000) / 48_000,
    loudFrames,
    /** Where each loud frame starts in the file (ms). */
    loudAtMs,
    codec: track.codec,
  };
}
