import { MediaError, MediaErrorReason } from './errors.ts';

/** Maps a `getUserMedia` failure to a MediaError the UI can switch on. */
export function microphoneError(error: unknown): MediaError {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const reason =
    name === 'NotAllowedError' || name === 'SecurityError'
      ? MediaErrorReason.MicDenied
      : name === 'NotFoundError' || name === 'OverconstrainedError'
        ? MediaErrorReason.MicNotFound
        : name === 'TypeError' && typeof navigator !== 'undefined' && !navigator.mediaDevices
          ? MediaErrorReason.Unsupported
          : MediaErrorReason.MicUnavailable;
  const message = error instanceof Error ? error.message : String(error);
  return new MediaError(reason, message || name || 'microphone failed', { cause: error });
}

/**
 * Asks for the microphone. Throws a MediaError: MIC_DENIED, MIC_NOT_FOUND, MIC_UNAVAILABLE or
 * UNSUPPORTED (no `navigator.mediaDevices`, as on plain-HTTP pages). The caller owns the track.
 */
export async function captureMicrophone(
  constraints: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  },
): Promise<MediaStreamTrack> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    throw new MediaError(MediaErrorReason.Unsupported, 'getUserMedia is not available here');
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: constraints });
    const [track] = stream.getAudioTracks();
    if (!track) throw new MediaError(MediaErrorReason.MicNotFound, 'no audio track');
    return track;
  } catch (error) {
    throw error instanceof MediaError ? error : microphoneError(error);
  }
}
