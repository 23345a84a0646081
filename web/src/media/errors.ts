/** Why a media operation failed; the UI switches on these. */
export const MediaErrorReason = {
  /** The user or the browser refused microphone access. */
  MicDenied: 'MIC_DENIED',
  /** No microphone, or none matching the constraints. */
  MicNotFound: 'MIC_NOT_FOUND',
  /** The microphone exists but could not be opened (in use, hardware error). */
  MicUnavailable: 'MIC_UNAVAILABLE',
  /** The published microphone track ended (device unplugged, permission revoked). */
  MicEnded: 'MIC_ENDED',
  /** The relay could not be reached or its connection failed; it is retried. */
  RelayFailed: 'RELAY_FAILED',
  /** A relay message was malformed and ignored. */
  RelayProtocol: 'RELAY_PROTOCOL',
  /** A signal could not be sent through the API. */
  SignalFailed: 'SIGNAL_FAILED',
  /** A direct (mesh) connection to a participant failed; it is recreated. */
  PeerFailed: 'PEER_FAILED',
  /** This browser lacks WebRTC or WebAudio. */
  Unsupported: 'UNSUPPORTED',
  /** The connection was used after `leave()`. */
  Closed: 'CLOSED',
} as const;

export type MediaErrorReason = (typeof MediaErrorReason)[keyof typeof MediaErrorReason];

/** An error with a `reason` the UI can switch on, like livekit's reasoned errors. */
export class MediaError extends Error {
  override readonly name = 'MediaError';
  readonly reason: MediaErrorReason;
  /** The remote participant concerned, when there is one. */
  readonly participantId: string | undefined;

  constructor(
    reason: MediaErrorReason,
    message: string,
    options: { cause?: unknown; participantId?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.reason = reason;
    this.participantId = options.participantId;
  }
}

/** Wraps anything thrown into a MediaError, keeping MediaErrors as they are. */
export function toMediaError(
  reason: MediaErrorReason,
  cause: unknown,
  participantId?: string,
): MediaError {
  if (cause instanceof MediaError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new MediaError(reason, detail, { cause, ...(participantId ? { participantId } : {}) });
}
