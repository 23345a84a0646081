/** A WebRTC signal (simple-peer's signal data, as JSON) from one participant to another. */
export type MeshSignalMessage = {
  /** Unique per message, so a replayed signal is never delivered twice. */
  id: string;
  spaceId: string;
  fromParticipantId: string;
  toParticipantId: string;
  signal: string;
};
