import type { Clock } from './clock.ts';
import type { Emitter } from './emitter.ts';
import { inboundKey } from './inbound-sampler.ts';
import type { InboundTracker } from './inbound-stats.ts';
import type { MediaTransport } from './media-transport.ts';
import { isOnStage } from './mesh-plan.ts';
import { type Playing, type RegistryChange, RemoteRegistry } from './remote-registry.ts';
import type { InboundSnapshot, RoomConnectionEvents, RoomStats } from './room-types.ts';
import { selectSource } from './source-selection.ts';
import type { MediaMode, RemoteAudio, RemoteHealth, RosterEntry, SourceKind } from './types.ts';

export type RemotePlaybackOptions = {
  selfParticipantId: string;
  clock: Clock;
  /** Inbound audio per source and participant, as last sampled. */
  tracker: InboundTracker;
  /** The mode and roster of the room's last update. */
  room: () => { mode: MediaMode | null; roster: readonly RosterEntry[] };
  /** The transports open now; either may be null. */
  transports: () => { mesh: MediaTransport | null; relay: MediaTransport | null };
  /** The levels the relay reported at the last sample; for relayed audio they replace ours. */
  relayLevels: () => ReadonlyMap<string, number>;
  /** Where `remote-added`, `remote-updated` and `remote-removed` go out. */
  events: Emitter<RoomConnectionEvents>;
};

/** Which source plays each remote participant, and how each one is heard. */
export interface RemotePlayback {
  /** Re-decides the source of everyone we should hear, and emits what changed. */
  select(): void;
  /** Whether `participantId`'s audio arrives on `source`, as last sampled. */
  receiving(source: SourceKind, participantId: string): boolean;
  /** The source `participantId` is played from now, null when not played. */
  sourceOf(participantId: string): SourceKind | null;
  /** Everyone played, each from exactly one source. */
  remotes(): Map<string, RemoteAudio>;
  /** The level of everyone played, 0..1. */
  levels(): Map<string, number>;
  /** How the audio of everyone played arrives. */
  health(): Map<string, RemoteHealth>;
  /** Everyone we should hear or play now, for `RoomConnection.stats()`. */
  stats(): RoomStats['remotes'];
  /** Stops playing everyone (a `remote-removed` each). */
  stop(): void;
}

export function createRemotePlayback(options: RemotePlaybackOptions): RemotePlayback {
  const { selfParticipantId: selfId, clock, tracker, events } = options;
  const registry = new RemoteRegistry();

  const receiving = (source: SourceKind, id: string) =>
    tracker.receiving(inboundKey(source, id), clock.now());

  /** Who we should hear: on stage in the roster, or relayed and unknown to a truncated roster. */
  function audibleParticipants(): Set<string> {
    const { roster } = options.room();
    const { relay } = options.transports();
    const ids = new Set<string>();
    for (const entry of roster) {
      if (entry.participantId !== selfId && isOnStage(entry.role)) ids.add(entry.participantId);
    }
    const known = new Set(roster.map((entry) => entry.participantId));
    for (const id of relay?.streams().keys() ?? [])
      if (!known.has(id) && id !== selfId) ids.add(id);
    return ids;
  }

  function emitChanges(changes: readonly RegistryChange[]) {
    for (const change of changes) {
      if (change.type === 'removed')
        events.emit('remote-removed', { participantId: change.participantId });
      else
        events.emit(
          change.type === 'added' ? 'remote-added' : 'remote-updated',
          describe(change.playing),
        );
    }
  }

  function select() {
    const { mode } = options.room();
    const { mesh, relay } = options.transports();
    const preferred: SourceKind = mode === 'RELAY' ? 'relay' : 'mesh';
    const meshStreams = mesh?.streams() ?? new Map<string, MediaStream>();
    const relayStreams = relay?.streams() ?? new Map<string, MediaStream>();
    const desired = new Map<string, Playing>();
    for (const participantId of audibleParticipants()) {
      const source = selectSource({
        preferred,
        current: registry.get(participantId)?.source ?? null,
        mesh: {
          available: meshStreams.has(participantId),
          flowing: receiving('mesh', participantId),
        },
        relay: {
          available: relayStreams.has(participantId),
          flowing: receiving('relay', participantId),
        },
      });
      const stream =
        source === 'mesh'
          ? meshStreams.get(participantId)
          : source === 'relay'
            ? relayStreams.get(participantId)
            : undefined;
      if (source && stream) desired.set(participantId, { participantId, source, stream });
    }
    emitChanges(registry.apply(desired));
  }

  function levelOf(playing: Playing): number {
    const measured = tracker.get(inboundKey(playing.source, playing.participantId))?.level ?? 0;
    return playing.source === 'relay'
      ? (options.relayLevels().get(playing.participantId) ?? measured)
      : measured;
  }

  function healthOf(playing: Playing): RemoteHealth {
    const state = tracker.get(inboundKey(playing.source, playing.participantId));
    return {
      receiving: receiving(playing.source, playing.participantId),
      packetsReceived: state?.packetsReceived ?? 0,
      lastPacketAt: state?.lastPacketAt ?? null,
      level: levelOf(playing),
    };
  }

  function describe(playing: Playing): RemoteAudio {
    return { ...playing, level: levelOf(playing), health: healthOf(playing) };
  }

  function snapshot(source: SourceKind, id: string): InboundSnapshot | null {
    const state = tracker.get(inboundKey(source, id));
    if (!state) return null;
    const { packetsReceived, lastPacketAt } = state;
    return { packetsReceived, lastPacketAt, receiving: receiving(source, id) };
  }

  return {
    select,
    receiving,
    sourceOf: (participantId) => registry.get(participantId)?.source ?? null,
    remotes() {
      return new Map(registry.all().map((playing) => [playing.participantId, describe(playing)]));
    },
    levels() {
      return new Map(registry.all().map((p) => [p.participantId, levelOf(p)]));
    },
    health() {
      return new Map(registry.all().map((p) => [p.participantId, healthOf(p)]));
    },
    stats() {
      const ids = new Set([
        ...audibleParticipants(),
        ...registry.all().map((p) => p.participantId),
      ]);
      return [...ids].sort().map((participantId) => {
        const playing = registry.get(participantId);
        return {
          participantId,
          source: playing?.source ?? null,
          streamId: playing?.stream.id ?? null,
          mesh: snapshot('mesh', participantId),
          relay: snapshot('relay', participantId),
        };
      });
    },
    stop() {
      emitChanges(registry.apply(new Map()));
    },
  };
}
