import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RemoteHearing } from './drain-policy.ts';
import { createEmitter } from './emitter.ts';
import type { InboundSample } from './inbound-stats.ts';
import type { TransportEvents } from './media-transport.ts';
import type { MeshLink } from './mesh-plan.ts';
import type { MeshTransport } from './mesh-transport.ts';
import type { RelayEvents, RelayTransport } from './relay-transport.ts';
import { createRoomConnection } from './room-connection.ts';
import type { RoomConnection } from './room-types.ts';
import type { MediaSignalling, Role, RosterEntry } from './types.ts';

const fakeStream = (id: string) => ({ id, getAudioTracks: () => [] }) as unknown as MediaStream;

/** A transport whose streams and packet counters the test sets by hand. */
class FakeTransport<Events extends TransportEvents> {
  readonly events = createEmitter<Events>();
  readonly on = this.events.on;
  readonly streamMap = new Map<string, MediaStream>();
  readonly packets = new Map<string, number>();
  microphone: MediaStreamTrack | null = null;
  closed = false;

  addStream(participantId: string) {
    const stream = fakeStream(`${this.constructor.name}-${participantId}`);
    this.streamMap.set(participantId, stream);
    this.packets.set(participantId, 1_000);
    (this.events as ReturnType<typeof createEmitter<TransportEvents>>).emit('stream', {
      participantId,
      stream,
    });
    return stream;
  }

  /** Packets arrive for these participants (call once per tick). */
  flow(...ids: string[]) {
    for (const id of ids) this.packets.set(id, (this.packets.get(id) ?? 0) + 10);
  }

  setMicrophone(track: MediaStreamTrack | null) {
    this.microphone = track;
  }

  streams() {
    return new Map(this.streamMap);
  }

  async sample() {
    const result = new Map<string, InboundSample>();
    for (const [id, packetsReceived] of this.packets) {
      if (this.streamMap.has(id)) result.set(id, { trackId: id, packetsReceived, audioLevel: 0.3 });
    }
    return result;
  }

  close() {
    this.closed = true;
  }
}

class FakeMesh extends FakeTransport<TransportEvents> implements MeshTransport {
  readonly source = 'mesh' as const;
  links: MeshLink[] = [];
  connectNew = true;
  readonly hearing = new Map<string, RemoteHearing>();
  readonly remoteHearing = new Map<string, RemoteHearing>();

  update(links: readonly MeshLink[], options: { connectNew: boolean }) {
    this.links = [...links];
    this.connectNew = options.connectNew;
    for (const id of [...this.streamMap.keys()]) {
      if (links.some((link) => link.participantId === id)) continue;
      this.streamMap.delete(id);
      this.events.emit('stream-ended', { participantId: id });
    }
  }

  setHearing(participantId: string, hearing: RemoteHearing) {
    this.hearing.set(participantId, hearing);
  }

  peers() {
    return this.links.map((link) => ({
      participantId: link.participantId,
      initiator: link.initiator,
      session: 's',
      connected: true,
      iceState: 'connected' as const,
      remoteHearing: this.remoteHearing.get(link.participantId) ?? null,
    }));
  }
}

class FakeRelay extends FakeTransport<RelayEvents> implements RelayTransport {
  readonly source = 'relay' as const;
  connected = false;

  connect() {
    this.connected = true;
  }
  state() {
    return 'connected' as const;
  }
  levels() {
    return new Map<string, number>();
  }
  info() {
    return { state: 'connected' as const, sessionId: 'r1', slots: [] };
  }
}

const signalling: MediaSignalling = {
  selfParticipantId: 'b',
  sendSignal: async () => {},
  onSignal: () => () => {},
  openRelay: async () => ({ sessionId: 'r1', offer: '' }),
  answerRelay: async () => {},
  onRelayLost: () => () => {},
};

const entry = (participantId: string, role: Role, muted = false): RosterEntry => ({
  participantId,
  role,
  muted,
});

const fakeTrack = () =>
  ({
    enabled: true,
    readyState: 'live',
    addEventListener: () => {},
    removeEventListener: () => {},
  }) as unknown as MediaStreamTrack;

describe('createRoomConnection', () => {
  let meshes: FakeMesh[];
  let relays: FakeRelay[];
  let room: RoomConnection;
  let log: string[];

  /** One sampling tick (200 ms) with these packets flowing. */
  const tick = async (flow: { mesh?: string[]; relay?: string[] } = {}) => {
    meshes.at(-1)?.flow(...(flow.mesh ?? []));
    relays.at(-1)?.flow(...(flow.relay ?? []));
    await vi.advanceTimersByTimeAsync(200);
  };

  beforeEach(() => {
    vi.useFakeTimers();
    meshes = [];
    relays = [];
    log = [];
    room = createRoomConnection({
      signalling,
      internals: {
        createMeshTransport: () => {
          const mesh = new FakeMesh();
          meshes.push(mesh);
          return mesh;
        },
        createRelayTransport: () => {
          const relay = new FakeRelay();
          relays.push(relay);
          return relay;
        },
        createLevelMeter: () => ({ level: () => 0.5, close: () => {} }),
      },
    });
    room.on('remote-added', (r) => log.push(`added ${r.participantId} ${r.source}`));
    room.on('remote-updated', (r) => log.push(`updated ${r.participantId} ${r.source}`));
    room.on('remote-removed', (r) => log.push(`removed ${r.participantId}`));
  });

  afterEach(() => {
    room.leave();
    vi.useRealTimers();
  });

  it('plays mesh streams of people on stage in MESH mode', async () => {
    room.update({ mode: 'MESH', roster: [entry('a', 'SPEAKER'), entry('b', 'LISTENER')] });
    const mesh = meshes[0];
    expect(mesh?.links).toEqual([
      { participantId: 'a', initiator: true, send: false, receive: true },
    ]);
    const stream = mesh?.addStream('a');
    expect(log).toEqual(['added a mesh']);
    expect(room.remotes().get('a')?.stream).toBe(stream);
    await tick({ mesh: ['a'] });
    await tick({ mesh: ['a'] });
    expect(room.remotes().get('a')?.health.receiving).toBe(true);
    expect(room.stats().remotes).toEqual([
      expect.objectContaining({ participantId: 'a', source: 'mesh' }),
    ]);
  });

  it('upgrades make-before-break: mesh until relay audio flows, then relay, then closes the mesh', async () => {
    room.update({ mode: 'MESH', roster: [entry('a', 'SPEAKER'), entry('b', 'LISTENER')] });
    const mesh = meshes[0]!;
    mesh.addStream('a');
    await tick({ mesh: ['a'] });
    await tick({ mesh: ['a'] });

    room.update({ mode: 'RELAY', roster: [entry('a', 'SPEAKER'), entry('b', 'LISTENER')] });
    const relay = relays[0]!;
    expect(relay.connected).toBe(true);
    relay.addStream('a');
    await tick({ mesh: ['a'] });
    await tick({ mesh: ['a'] });
    expect(room.remotes().get('a')?.source).toBe('mesh');
    expect(mesh.closed).toBe(false);
    expect(mesh.hearing.get('a')).toBe('mesh');

    await tick({ mesh: ['a'], relay: ['a'] });
    await tick({ mesh: ['a'], relay: ['a'] });
    expect(log).toEqual(['added a mesh', 'updated a relay']);
    expect(room.remotes().get('a')?.source).toBe('relay');
    expect(mesh.closed).toBe(true);
    expect(room.stats().mesh).toBeNull();
  });

  it('keeps a mesh peer we send on until the other speaker hears us through the relay', async () => {
    const roster = [entry('a', 'SPEAKER'), entry('b', 'SPEAKER')];
    room.update({ mode: 'MESH', roster });
    room.publishMicrophone(fakeTrack());
    const mesh = meshes[0]!;
    mesh.addStream('a');
    mesh.remoteHearing.set('a', 'mesh');
    room.update({ mode: 'RELAY', roster });
    relays[0]!.addStream('a');
    for (let i = 0; i < 4; i += 1) await tick({ mesh: ['a'], relay: ['a'] });
    expect(room.remotes().get('a')?.source).toBe('relay');
    expect(mesh.closed).toBe(false);

    mesh.remoteHearing.set('a', 'relay');
    await tick({ relay: ['a'] });
    expect(mesh.closed).toBe(true);
  });

  it('goes back to the mesh when relay audio stops while the mesh still flows', async () => {
    const roster = [entry('a', 'SPEAKER'), entry('b', 'SPEAKER')];
    room.update({ mode: 'MESH', roster });
    room.publishMicrophone(fakeTrack());
    const mesh = meshes[0]!;
    mesh.addStream('a');
    room.update({ mode: 'RELAY', roster });
    relays[0]!.addStream('a');
    for (let i = 0; i < 3; i += 1) await tick({ mesh: ['a'], relay: ['a'] });
    expect(room.remotes().get('a')?.source).toBe('relay');
    for (let i = 0; i < 15; i += 1) await tick({ mesh: ['a'] });
    expect(room.remotes().get('a')?.source).toBe('mesh');
    expect(log).toEqual(['added a mesh', 'updated a relay', 'updated a mesh']);
  });

  describe('a mesh with relay listeners (guests)', () => {
    const onStage = [entry('a', 'SPEAKER'), entry('b', 'SPEAKER'), entry('c', 'LISTENER')];

    it('publishes our microphone to the relay as well as to every mesh peer, and keeps playing the mesh', async () => {
      const track = fakeTrack();
      room.update({ mode: 'MESH', roster: onStage });
      room.publishMicrophone(track);
      expect(relays).toHaveLength(0);

      room.update({ mode: 'MESH', roster: onStage, relayAudience: true });
      const relay = relays[0]!;
      expect(relay.connected).toBe(true);
      expect(relay.microphone).toBe(track);
      expect(meshes[0]?.microphone).toBe(track);
      expect(meshes[0]?.links.map((link) => link.participantId)).toEqual(['a', 'c']);

      meshes[0]!.addStream('a');
      relay.addStream('a');
      // Long past any drain: the relay stays while guests may listen.
      for (let i = 0; i < 200; i += 1) await tick({ mesh: ['a'], relay: ['a'] });
      expect(relay.closed).toBe(false);
      expect(room.remotes().get('a')?.source).toBe('mesh');
      expect(room.stats().mode).toBe('MESH');
    });

    it('leaves a listener on the mesh alone, with no relay connection', () => {
      const listening = [entry('a', 'SPEAKER'), entry('b', 'LISTENER')];
      room.update({ mode: 'MESH', roster: listening, relayAudience: true });
      expect(relays).toHaveLength(0);
      expect(meshes[0]?.links.map((link) => link.participantId)).toEqual(['a']);
    });

    it('stops publishing to the relay on leaving the stage', async () => {
      room.update({ mode: 'MESH', roster: onStage, relayAudience: true });
      room.publishMicrophone(fakeTrack());
      expect(relays[0]?.closed).toBe(false);
      const demoted = [entry('a', 'SPEAKER'), entry('b', 'LISTENER'), entry('c', 'LISTENER')];
      room.update({ mode: 'MESH', roster: demoted, relayAudience: true });
      await tick();
      expect(relays[0]?.closed).toBe(true);
      expect(relays[0]?.microphone).toBeNull();
    });

    it('switches to the relay at once when the space moves there, its audio already flowing', async () => {
      room.update({ mode: 'MESH', roster: onStage, relayAudience: true });
      room.publishMicrophone(fakeTrack());
      meshes[0]!.addStream('a');
      relays[0]!.addStream('a');
      await tick({ mesh: ['a'], relay: ['a'] });
      await tick({ mesh: ['a'], relay: ['a'] });
      expect(room.remotes().get('a')?.source).toBe('mesh');

      room.update({ mode: 'RELAY', roster: onStage, relayAudience: true });
      expect(relays).toHaveLength(1);
      expect(room.remotes().get('a')?.source).toBe('relay');
      expect(log).toEqual(['added a mesh', 'updated a relay']);
    });
  });

  it('shows a relayed speaker as heard right after their first audio, not at the next relay sample', async () => {
    room.update({ mode: 'RELAY', roster: [entry('a', 'SPEAKER'), entry('b', 'LISTENER')] });
    const relay = relays[0]!;
    // Past the first relay sample: a lone relay is otherwise sampled once a second.
    await tick();
    await tick();
    relay.addStream('a');
    await vi.advanceTimersByTimeAsync(50);
    expect(room.remotes().get('a')?.health).toMatchObject({ packetsReceived: 1_000, level: 0.3 });
  });

  it('removes a participant who leaves, and one whose only source ends', async () => {
    room.update({
      mode: 'MESH',
      roster: [entry('a', 'SPEAKER'), entry('c', 'HOST'), entry('b', 'LISTENER')],
    });
    const mesh = meshes[0]!;
    mesh.addStream('a');
    mesh.addStream('c');
    room.update({ mode: 'MESH', roster: [entry('c', 'HOST'), entry('b', 'LISTENER')] });
    expect(log).toEqual(['added a mesh', 'added c mesh', 'removed a']);
    mesh.streamMap.delete('c');
    mesh.events.emit('stream-ended', { participantId: 'c' });
    expect(log.at(-1)).toBe('removed c');
    expect(room.remotes().size).toBe(0);
  });

  it('sends the microphone only on stage, and mutes it when the roster says muted', () => {
    const track = fakeTrack();
    room.update({ mode: 'MESH', roster: [entry('a', 'SPEAKER'), entry('b', 'LISTENER')] });
    room.publishMicrophone(track);
    expect(meshes[0]?.microphone).toBeNull();
    room.update({ mode: 'MESH', roster: [entry('a', 'SPEAKER'), entry('b', 'SPEAKER', true)] });
    expect(meshes[0]?.microphone).toBe(track);
    expect(track.enabled).toBe(false);
    room.update({ mode: 'MESH', roster: [entry('a', 'SPEAKER'), entry('b', 'SPEAKER')] });
    expect(track.enabled).toBe(true);
    room.setMicrophoneEnabled(false);
    expect(track.enabled).toBe(false);
    expect(room.localLevel()).toBe(0);
  });

  it('emits levels at most five times a second and health at most once', async () => {
    const levels: number[] = [];
    const health: number[] = [];
    room.on('levels', () => levels.push(Date.now()));
    room.on('health', () => health.push(Date.now()));
    room.update({ mode: 'MESH', roster: [entry('a', 'SPEAKER'), entry('b', 'LISTENER')] });
    meshes[0]?.addStream('a');
    for (let i = 0; i < 10; i += 1) await tick({ mesh: ['a'] });
    expect(levels.length).toBeLessThanOrEqual(11);
    expect(health.length).toBeLessThanOrEqual(3);
    const gaps = health.slice(1).map((at, i) => at - (health[i] ?? 0));
    expect(gaps.every((gap) => gap >= 1_000)).toBe(true);
  });
});
