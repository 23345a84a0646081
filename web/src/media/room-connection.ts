import { type Clock, systemClock } from './clock.ts';
import { createEmitter } from './emitter.ts';
import { MediaError, MediaErrorReason } from './errors.ts';
import { createInboundSampler } from './inbound-sampler.ts';
import { InboundTracker } from './inbound-stats.ts';
import { createLevelMeter, type LevelMeter } from './level-meter.ts';
import type { MediaTransport } from './media-transport.ts';
import { destroyPrepared } from './mesh-offers.ts';
import { isOnStage, linkToUnlisted, planMeshConnections, publishesToRelay } from './mesh-plan.ts';
import { createMeshTransport, type MeshTransport } from './mesh-transport.ts';
import { createRelayTransport, type RelayTransport } from './relay-transport.ts';
import { createRemotePlayback } from './remote-playback.ts';
import type { RoomConnection, RoomConnectionEvents, RoomConnectionOptions } from './room-types.ts';
import { createThrottle } from './throttle.ts';
import { planDrain } from './transport-drain.ts';
import type { MediaMode, MediaSignalling, RosterEntry } from './types.ts';

type TransportContext = {
  signalling: MediaSignalling;
  rtcConfig: RTCConfiguration | undefined;
  clock: Clock;
};

/**
 * Connects one participant to a space's audio. The server decides the mode; on MESH→RELAY each
 * remote participant keeps playing from the mesh until their audio flows through the relay, then
 * switches, and only then is the mesh peer closed (RELAY→MESH is the same in reverse). In a mesh
 * with relay listeners (guests), people on stage also hold a relay connection to publish there;
 * when the space then moves to the relay, their audio already flows through it.
 */
export function createRoomConnection(options: RoomConnectionOptions): RoomConnection {
  const { signalling, rtcConfig } = options;
  const internals = options.internals ?? {};
  const clock = systemClock(options.now);
  const selfId = signalling.selfParticipantId;
  const tickMs = internals.tickMs ?? 200;
  const firstAudioTickMs = internals.firstAudioTickMs ?? 40;
  const firstAudioWindowMs = internals.firstAudioWindowMs ?? 3_000;
  const silentGraceMs = internals.silentGraceMs ?? 10_000;
  const maxDrainMs = internals.maxDrainMs ?? 30_000;
  const meter = internals.createLevelMeter ?? ((track) => createLevelMeter(track, { clock }));
  const events = createEmitter<RoomConnectionEvents>();
  const tracker = new InboundTracker();
  const levelsOut = createThrottle(
    (p: RoomConnectionEvents['levels']) => events.emit('levels', p),
    200,
    clock,
  );
  const healthOut = createThrottle(
    (p: RoomConnectionEvents['health']) => events.emit('health', p),
    1_000,
    clock,
  );

  let mode: MediaMode | null = null;
  let modeChangedAt = clock.now();
  let roster: readonly RosterEntry[] = [];
  let relayAudience = false;
  let mesh: MeshTransport | null = null;
  let relay: RelayTransport | null = null;
  let mic: MediaStreamTrack | null = null;
  let micEnabled = true;
  let levelMeter: LevelMeter | null = null;
  let relayLevels: ReadonlyMap<string, number> = new Map();
  let closed = false;
  /** Peers made before joining: the first mesh transport's, or nobody's. */
  let preparedMesh = options.preparedMesh;
  let reconciling = false;
  let dirty = false;

  const self = () => roster.find((entry) => entry.participantId === selfId);
  const selfOnStage = () => {
    const entry = self();
    return entry !== undefined && isOnStage(entry.role);
  };
  const publishing = () => mode !== null && publishesToRelay(mode, relayAudience, roster, selfId);
  const transports = () => ({ mesh, relay });
  const playback = createRemotePlayback({
    selfParticipantId: selfId,
    clock,
    tracker,
    room: () => ({ mode, roster }),
    transports,
    relayLevels: () => relayLevels,
    events,
  });
  const guard = () => {
    if (closed) throw new MediaError(MediaErrorReason.Closed, 'the room connection was left');
  };

  function forward(transport: MediaTransport) {
    transport.on('stream', () => {
      reconcile();
      sampler.hurry();
    });
    transport.on('stream-ended', reconcile);
    transport.on('error', (error) => events.emit('error', error));
  }

  function applyMicrophone() {
    if (mic) mic.enabled = micEnabled && !(self()?.muted ?? false);
    const sending = selfOnStage() ? mic : null;
    mesh?.setMicrophone(sending);
    relay?.setMicrophone(sending);
  }

  function ensureTransports() {
    if (mode === 'MESH' && !mesh) {
      const create = internals.createMeshTransport ?? createMeshTransport;
      mesh = createTransport((shared) =>
        create({
          ...shared,
          acceptEarly: (participantId) => linkToUnlisted(mode, roster, selfId, participantId),
          prepared: preparedMesh,
        }),
      );
    }
    if ((mode === 'RELAY' || publishing()) && !relay) {
      relay = createTransport(internals.createRelayTransport ?? createRelayTransport);
      relay.connect();
    }
  }

  function dropPreparedMesh() {
    if (!mesh) destroyPrepared(preparedMesh);
    preparedMesh = undefined;
  }

  function createTransport<T extends MeshTransport | RelayTransport>(
    create: (shared: TransportContext) => T,
  ): T {
    const transport = create({ signalling, rtcConfig, clock });
    forward(transport);
    transport.setMicrophone(selfOnStage() ? mic : null);
    return transport;
  }

  function drain() {
    if (!mode || (!mesh && !relay)) return;
    const links = planMeshConnections('MESH', roster, selfId);
    const plan = planDrain({
      mode,
      links,
      sending: selfOnStage() && (mic?.enabled ?? false),
      publishing: publishing(),
      flowing: playback.receiving,
      muted: (id) => roster.some((entry) => entry.participantId === id && entry.muted),
      playing: playback.sourceOf,
      remoteHearing: new Map(mesh?.peers().map((peer) => [peer.participantId, peer.remoteHearing])),
      sinceModeChangeMs: clock.now() - modeChangedAt,
      silentGraceMs,
      maxDrainMs,
    });
    if (mesh) {
      for (const [participantId, hearing] of plan.hearing) mesh.setHearing(participantId, hearing);
      mesh.update(plan.meshLinks, { connectNew: plan.connectNew });
      if (!plan.connectNew && mesh.peers().length === 0) {
        const done = mesh;
        mesh = null;
        done.close();
      }
    }
    if (relay && plan.closeRelay) {
      const done = relay;
      relay = null;
      relayLevels = new Map();
      done.close();
    }
  }

  /** Re-decides sources and drains; re-entrant calls (a close emitting stream-ended) loop instead. */
  function reconcile() {
    if (closed) return;
    if (reconciling) {
      dirty = true;
      return;
    }
    reconciling = true;
    try {
      do {
        dirty = false;
        playback.select();
        drain();
      } while (dirty);
    } finally {
      reconciling = false;
    }
  }

  function publishSamples() {
    reconcile();
    relayLevels = relay?.levels() ?? new Map();
    levelsOut.push({ local: localLevel(), remotes: playback.levels() });
    healthOut.push(playback.health());
  }

  function localLevel(): number {
    return mic?.enabled && levelMeter ? levelMeter.level() : 0;
  }

  const onMicEnded = () => {
    events.emit('error', new MediaError(MediaErrorReason.MicEnded, 'the microphone track ended'));
  };

  const sampler = createInboundSampler({
    clock,
    tracker,
    transports,
    tickMs,
    firstAudioTickMs,
    firstAudioWindowMs,
    onSampled: publishSamples,
  });

  return {
    update(state) {
      guard();
      const previous = mode;
      roster = state.roster;
      relayAudience = state.relayAudience ?? false;
      if (state.mode !== mode) {
        mode = state.mode;
        modeChangedAt = clock.now();
      }
      ensureTransports();
      dropPreparedMesh();
      applyMicrophone();
      reconcile();
      if (previous !== mode) events.emit('mode', { mode: state.mode, previous });
    },
    publishMicrophone(track) {
      guard();
      if (track.readyState === 'ended') {
        throw new MediaError(MediaErrorReason.MicEnded, 'cannot publish an ended track');
      }
      if (track === mic) return;
      mic?.removeEventListener('ended', onMicEnded);
      levelMeter?.close();
      mic = track;
      track.addEventListener('ended', onMicEnded);
      try {
        levelMeter = meter(track);
      } catch (error) {
        levelMeter = null;
        events.emit(
          'error',
          new MediaError(MediaErrorReason.Unsupported, 'no WebAudio level meter', { cause: error }),
        );
      }
      applyMicrophone();
      reconcile();
    },
    setMicrophoneEnabled(enabled) {
      guard();
      micEnabled = enabled;
      applyMicrophone();
    },
    leave() {
      if (closed) return;
      closed = true;
      dropPreparedMesh();
      sampler.stop();
      levelsOut.cancel();
      healthOut.cancel();
      mesh?.close();
      relay?.close();
      mesh = null;
      relay = null;
      levelMeter?.close();
      mic?.removeEventListener('ended', onMicEnded);
      playback.stop();
      events.clear();
    },
    remotes: playback.remotes,
    localLevel,
    stats() {
      return {
        selfParticipantId: selfId,
        mode,
        microphone: {
          published: mic !== null,
          enabled: mic?.enabled ?? false,
          sending: mic !== null && selfOnStage(),
          level: localLevel(),
        },
        remotes: playback.stats(),
        mesh: mesh ? { peers: mesh.peers() } : null,
        relay: relay ? relay.info() : null,
      };
    },
    on: events.on,
  };
}
