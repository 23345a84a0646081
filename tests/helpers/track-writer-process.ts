/**
 * A recording writer in its own process, so a test can kill it mid-recording: it records the RTP
 * payloads its parent sends over IPC into `<dir>/crash/track.ogg` and reports the audio written.
 */
import { createDiskRecordingStorage } from '../../server/recordings/disk-recording-storage.ts';
import { createTrackRecorder } from '../../server/recordings/track-recorder.ts';

type Packet = { payload: string; rtpTimestamp: number; atMs: number };

const dir = process.argv[2];
if (!dir) throw new Error('usage: track-writer-process <dir>');
const file = await createDiskRecordingStorage(dir).create('crash/track.ogg');
const recorder = createTrackRecorder({
  file,
  onError: (error) => process.send?.({ error: String(error) }),
});
process.on('message', (packet: Packet) => {
  recorder.push(Buffer.from(packet.payload, 'base64'), packet.rtpTimestamp, packet.atMs);
  process.send?.({ durationMs: recorder.durationMs() });
});
process.send?.({ ready: true });
