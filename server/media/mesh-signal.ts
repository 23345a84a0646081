/** A WebRTC signal (simple-peer's signal data, as JSON) from one participant to another. */
export type MeshSignalMessage = {
  spaceId: string;
  fromParticipantId: string;
  toParticipantId: string;
  signal: string;
};
