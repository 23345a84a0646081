/** Configuration of a relay; every field has a default suited to a LAN or loopback. */
export type RelayConfig = {
  /**
   * The one UDP port every ICE session of this relay shares (host candidates, DTLS, SRTP); 0
   * takes any free port. @default 0
   */
  port?: number;
  /** Address put in host candidates instead of the interface address (for NAT/containers). */
  announcedIp?: string;
  /** Stage seats: how many speakers a listener can hear at once. @default 13 */
  slots?: number;
};

/**
 * Counters since the relay started. `forwardedPackets` counts copies sent to subscribers (one
 * incoming packet heard by 100 listeners counts 100); `droppedPackets` counts incoming packets
 * that were not forwarded (sender not a publisher, every slot taken, or a repeated, replayed or
 * unconfirmed sequence number: see slot-stream.ts).
 */
export type RelayStats = { sessions: number; forwardedPackets: number; droppedPackets: number };

/**
 * Receives a publisher's RTP payload (one Opus frame) with its original RTP timestamp, for every
 * packet the relay forwards. It runs on the forwarding path: copy what you keep, return quickly.
 */
export type PacketTap = (participantId: string, payload: Buffer, rtpTimestamp: number) => void;

/** A selective forwarding unit for audio rooms: one peer connection per participant. */
export type Relay = {
  /**
   * Opens a participant's one peer connection to the relay (replacing any earlier one of the same
   * participant): resolves with the relay's SDP offer, ICE already gathered (no trickle).
   * Rejects with RelayError('CLOSED') if the relay stops or the session is closed meanwhile.
   */
  open(spaceId: string, participantId: string): Promise<{ sessionId: string; offer: string }>;
  /** Completes a session with the client's SDP answer; rejects with RelayError('BAD_SDP'|'UNKNOWN_SESSION') */
  answer(sessionId: string, sdp: string): Promise<void>;
  /**
   * Who may be heard in a space now (on stage, not muted, not removed…). Only their RTP is
   * forwarded; revoking takes effect from the next packet. The set is kept until it is replaced,
   * set empty, or the space is closed, so it may be given before anyone opens a session.
   */
  setPublishers(spaceId: string, participantIds: ReadonlySet<string>): void;
  /** Closes one participant's session. */
  close(spaceId: string, participantId: string): Promise<void>;
  /** Closes every session of a space and forgets its publishers. */
  closeSpace(spaceId: string): Promise<void>;
  /** Whether a session is still open: not closed by its owner, a failure or a timeout. */
  isOpen(sessionId: string): boolean;
  /**
   * Calls `listener` for each session lost without its client's doing: the relay worker carrying
   * it died or vanished, and its client should open another at once. Returns a function that
   * removes the listener.
   */
  onSessionLost(listener: (lost: { sessionId: string }) => void): () => void;
  /**
   * Sees the audio of a space's current publishers (only packets that are forwarded), e.g. for
   * captions. Returns a function that removes the tap. Taps outlive sessions; remove them.
   */
  tapSpace(spaceId: string, tap: PacketTap): () => void;
  stats(): RelayStats;
  /** Closes everything; leaves no timers, sockets or peer connections behind. */
  stop(): Promise<void>;
};
