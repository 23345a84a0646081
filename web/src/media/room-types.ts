import type { MediaError } from './errors.ts';
import type { LevelMeter } from './level-meter.ts';
import type { PreparedPeer } from './mesh-offers.ts';
import type { MeshPeerInfo, MeshTransport, MeshTransportOptions } from './mesh-transport.ts';
import type { RelayInfo, RelayTransport, RelayTransportOptions } from './relay-transport.ts';
import type {
  MediaMode,
  MediaSignalling,
  RemoteAudio,
  RemoteHealth,
  RosterEntry,
  SourceKind,
} from './types.ts';

/** Events of a room connection; `on` returns the unsubscribe function. */
export type RoomConnectionEvents = {
  /** A participant became audible: play `stream` (one element per participantId). */
  'remote-added': RemoteAudio;
  /** A participant's stream changed (mesh↔relay switch): replace what you play for them. */
  'remote-updated': RemoteAudio;
  /** A participant is no longer audible: stop playing them. */
  'remote-removed': { participantId: string };
  /** At most 5 per second. */
  levels: { local: number; remotes: ReadonlyMap<string, number> };
  /** At most once per second. */
  health: ReadonlyMap<string, RemoteHealth>;
  mode: { mode: MediaMode; previous: MediaMode | null };
  error: MediaError;
};

/** Inbound packets of one participant on one source, as last sampled. */
export type InboundSnapshot = {
  packetsReceived: number;
  receiving: boolean;
  lastPacketAt: number | null;
};

/** A JSON-serialisable snapshot for tests and debugging pages. */
export type RoomStats = {
  selfParticipantId: string;
  mode: MediaMode | null;
  microphone: { published: boolean; enabled: boolean; sending: boolean; level: number };
  remotes: Array<{
    participantId: string;
    /** The source played now, null when the participant is not played. */
    source: SourceKind | null;
    streamId: string | null;
    mesh: InboundSnapshot | null;
    relay: InboundSnapshot | null;
  }>;
  mesh: { peers: MeshPeerInfo[] } | null;
  relay: RelayInfo | null;
};

export type RoomConnectionOptions = {
  signalling: MediaSignalling;
  /** For mesh peers and the relay connection (ICE servers). */
  rtcConfig?: RTCConfiguration;
  /**
   * Peers made before joining (`prepareMeshOffers(...).handOver`), for the mesh's first links;
   * the room connection destroys those it does not take up.
   */
  preparedMesh?: Map<string, PreparedPeer> | undefined;
  /** @default Date.now */
  now?: () => number;
  /** Test seams and tuning; the defaults are what browsers use. */
  internals?: RoomConnectionInternals;
};

export type RoomConnectionInternals = {
  createMeshTransport?: (options: MeshTransportOptions) => MeshTransport;
  createRelayTransport?: (options: RelayTransportOptions) => RelayTransport;
  createLevelMeter?: (track: MediaStreamTrack) => LevelMeter;
  /** How often transports are sampled. @default 200 */
  tickMs?: number;
  /** How often while a new stream's first audio is awaited. @default 40 */
  firstAudioTickMs?: number;
  /** How long after a new stream that faster sampling may last. @default 3000 */
  firstAudioWindowMs?: number;
  /** How long a mesh peer with no audio on either path outlives a switch to RELAY. @default 10000 */
  silentGraceMs?: number;
  /** The longest the relay stays open after a switch to MESH. @default 30000 */
  maxDrainMs?: number;
};

/** A space's audio for one participant: the facade the UI talks to. */
export interface RoomConnection {
  /**
   * Call whenever the roster or the media mode changes; self's `muted` also mutes our track.
   * `relayAudience` (the space's field; default false): someone listens through the relay while
   * the space is a mesh, so on stage we also publish there.
   */
  update(state: { mode: MediaMode; roster: readonly RosterEntry[]; relayAudience?: boolean }): void;
  /**
   * The microphone to send while on stage (replaces any earlier one). The caller owns the track:
   * `leave()` does not stop it. Throws MIC_ENDED for an ended track.
   */
  publishMicrophone(track: MediaStreamTrack): void;
  /** Local mute: the track keeps flowing as silence (`track.enabled = false`). */
  setMicrophoneEnabled(enabled: boolean): void;
  /** Closes every connection; the object is unusable afterwards. */
  leave(): void;
  /** Everyone we can hear, each from exactly one source. */
  remotes(): ReadonlyMap<string, RemoteAudio>;
  /** The local microphone level, 0..1 (0 when muted or not published). */
  localLevel(): number;
  stats(): RoomStats;
  on<K extends keyof RoomConnectionEvents>(
    event: K,
    handler: (payload: RoomConnectionEvents[K]) => void,
  ): () => void;
}
