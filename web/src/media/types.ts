/** A participant's role in a space, as the server reports it. */
export type Role = 'HOST' | 'COHOST' | 'SPEAKER' | 'LISTENER';

/** How a space's audio travels, decided by the server. */
export type MediaMode = 'MESH' | 'RELAY';

/** One participant of the space, as the app last learned it from the API. */
export type RosterEntry = { participantId: string; role: Role; muted: boolean };

/**
 * simple-peer's signal data, passed through as is, plus the `peerSession` tag the mesh transport
 * adds (see `mesh-signal.ts`).
 */
export type MeshSignal = Record<string, unknown>;

/** Everything the media module needs from the server; the app implements it over GraphQL. */
export interface MediaSignalling {
  readonly selfParticipantId: string;
  sendSignal(toParticipantId: string, signal: MeshSignal): Promise<void>;
  onSignal(handler: (fromParticipantId: string, signal: MeshSignal) => void): () => void;
  /** The relay's offer, and the ICE servers (TURN with its credentials) this session may use. */
  openRelay(): Promise<{ sessionId: string; offer: string; iceServers?: RTCIceServer[] }>;
  answerRelay(sessionId: string, answer: string): Promise<void>;
  /**
   * Calls `handler` if the relay loses the session without our doing (the relay worker carrying
   * it stopped), so it is reopened at once rather than when ICE gives up. Returns a function that
   * stops watching.
   */
  onRelayLost(sessionId: string, handler: () => void): () => void;
}

/** Where a remote participant's audio is played from. */
export type SourceKind = 'mesh' | 'relay';

/** Whether a remote participant's audio reaches us, from periodic `getStats()`. */
export type RemoteHealth = {
  /** Inbound packets grew within the last couple of seconds. */
  receiving: boolean;
  /** Packets received on the source in use (counters restart when the source changes). */
  packetsReceived: number;
  /** When packets were last seen growing (the connection's `now()` clock), or null. */
  lastPacketAt: number | null;
  /** Audio level 0..1. */
  level: number;
};

/** A remote participant we can hear, played from exactly one source. */
export type RemoteAudio = {
  participantId: string;
  stream: MediaStream;
  source: SourceKind;
  level: number;
  health: RemoteHealth;
};
