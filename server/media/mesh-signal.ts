/** A WebRTC signal (simple-peer's signal data, as JSON) from one participant to another. */
export type MeshSignalMessage = {
  /** Unique per message, so a replayed signal is never delivered twice. */
  id: string;
  spaceId: string;
  fromParticipantId: string;
  toParticipantId: string;
  /** Where it is delivered: the receiver's inbox in the space (`meshInbox`). */
  inbox: string;
  signal: string;
};

/**
 * The bus key of a user's mesh signals in one space. By user, not participant, so a browser can
 * listen before it joins (it has no participant yet) and hear the offers its join sets off at once.
 */
export const meshInbox = (spaceId: string, userId: string) => `${spaceId}:${userId}`;
