import { EncodedPacket, EncodedPacketSink, Input, OGG } from 'mediabunny';
import { startOggOpusFile } from './ogg-opus-file.ts';
import type { RecordingStorage } from './recording-storage.ts';
import { storageSource } from './storage-source.ts';

export type CutRange = { startMs: number; endMs: number };

/**
 * Copies the Opus packets of `from` that start within the range into a new Ogg Opus file at `to`,
 * retimed to start at 0, without re-encoding: every Opus packet decodes on its own, so a cut at any
 * packet boundary plays. Returns the cut's length in ms (the range, or less where the file ends).
 */
export async function cutOggOpus(
  storage: RecordingStorage,
  from: string,
  to: string,
  range: CutRange,
): Promise<number> {
  const size = await storage.size(from);
  if (size === null) throw new Error(`No file to cut at ${from}`);
  const input = new Input({ formats: [OGG], source: storageSource(storage, from, size) });
  const file = await storage.create(to);
  try {
    const track = await input.getPrimaryAudioTrack();
    if (!track) throw new Error(`No audio in ${from}`);
    const decoderConfig = await track.getDecoderConfig();
    if (!decoderConfig) throw new Error(`No decoder configuration in ${from}`);
    const { output, source } = await startOggOpusFile(file);
    const start = range.startMs / 1000;
    const end = range.endMs / 1000;
    const sink = new EncodedPacketSink(track);
    const first = await sink.getPacket(start);
    let lengthS = 0;
    let meta: { decoderConfig: AudioDecoderConfig } | undefined = { decoderConfig };
    if (first) {
      for await (const packet of sink.packets(first)) {
        if (packet.timestamp >= end) break;
        if (packet.timestamp < start) continue;
        const at = packet.timestamp - start;
        await source.add(new EncodedPacket(packet.data, 'key', at, packet.duration), meta);
        meta = undefined;
        lengthS = at + packet.duration;
      }
    }
    if (meta) {
      await output.cancel();
      throw new Error(`Nothing of ${from} lies in ${range.startMs}–${range.endMs} ms`);
    }
    await output.finalize();
    await file.sync();
    return Math.round(lengthS * 1000);
  } finally {
    await file.close();
    input.dispose();
  }
}
