/** Why a relay call failed: a closed set a caller can switch on. */
export type RelayErrorReason = 'BAD_SDP' | 'UNKNOWN_SESSION' | 'CLOSED';

/** An expected failure of a relay call; anything else thrown is a bug. */
export class RelayError extends Error {
  constructor(
    readonly reason: RelayErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}
