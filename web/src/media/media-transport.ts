import type { MediaError } from './errors.ts';
import type { InboundSample } from './inbound-stats.ts';
import type { SourceKind } from './types.ts';

/** Events every transport emits. */
export type TransportEvents = {
  /** A participant's audio became available from this transport, or its stream was replaced. */
  stream: { participantId: string; stream: MediaStream };
  /** A participant's audio is no longer available from this transport. */
  'stream-ended': { participantId: string };
  error: MediaError;
};

/** One way audio reaches us (mesh or relay); the room connection picks per participant. */
export interface MediaTransport<Events extends TransportEvents = TransportEvents> {
  readonly source: SourceKind;
  /** The microphone to send, or null to send nothing (off stage, or no microphone). */
  setMicrophone(track: MediaStreamTrack | null): void;
  /** participantId → the stream carrying their audio on this transport. */
  streams(): ReadonlyMap<string, MediaStream>;
  /** Inbound audio per participant, from `getStats()`. */
  sample(): Promise<Map<string, InboundSample>>;
  on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): () => void;
  close(): void;
}
