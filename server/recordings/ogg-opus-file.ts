import {
  EncodedAudioPacketSource,
  OggOutputFormat,
  Output,
  StreamTarget,
  type StreamTargetChunk,
} from 'mediabunny';
import type { StoredFileWriter } from './recording-storage.ts';

/**
 * Starts an Ogg Opus file written to `file` through mediabunny: add packets to `source`, then
 * `output.finalize()`.
 */
export async function startOggOpusFile(file: StoredFileWriter) {
  const output = new Output({
    format: new OggOutputFormat(),
    target: new StreamTarget(
      new WritableStream<StreamTargetChunk>({
        write: (chunk) => file.write(chunk.data, chunk.position),
      }),
    ),
  });
  const source = new EncodedAudioPacketSource('opus');
  output.addAudioTrack(source);
  await output.start();
  return { output, source };
}
