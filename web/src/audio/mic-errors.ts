import { MediaError, MediaErrorReason } from '../media/errors.ts';

/** A sentence for each reason the microphone can fail, for people rather than logs. */
export function micErrorMessage(error: unknown): string {
  const reason = error instanceof MediaError ? error.reason : null;
  switch (reason) {
    case MediaErrorReason.MicDenied:
      return 'Microphone access was blocked. Allow it in your browser’s site settings, then try again.';
    case MediaErrorReason.MicNotFound:
      return 'No microphone was found. Plug one in and try again.';
    case MediaErrorReason.MicUnavailable:
      return 'Your microphone is busy or could not be opened. Close other apps using it and retry.';
    case MediaErrorReason.MicEnded:
      return 'Your microphone stopped. Pick a microphone to continue.';
    case MediaErrorReason.Unsupported:
      return 'This browser cannot use a microphone here (a secure https page is required).';
    default:
      return 'The microphone could not be started.';
  }
}
