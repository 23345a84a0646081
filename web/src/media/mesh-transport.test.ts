import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.ts';
import type { PreparedPeer } from './mesh-offers.ts';
import type { MeshPeer, MeshPeerOptions } from './mesh-peer.ts';
import type { MeshLink } from './mesh-plan.ts';
import type { PeerSignalData } from './mesh-signal.ts';
import { createMeshTransport, type MeshTransport } from './mesh-transport.ts';
import { CANDIDATE_WAIT_MS } from './signal-queue.ts';
import type { MeshSignal } from './types.ts';

type Listener = (...args: never[]) => void;

class FakePeer implements MeshPeer {
  readonly pc = null;
  readonly received: PeerSignalData[] = [];
  readonly sent: string[] = [];
  readonly listeners = new Map<string, Listener[]>();
  destroyed = false;

  constructor(readonly options: MeshPeerOptions) {}

  signal(data: PeerSignalData) {
    this.received.push(data);
  }
  setTrack() {}
  negotiate() {}
  send(text: string) {
    this.sent.push(text);
  }
  on(event: string, handler: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), handler]);
  }
  emit(event: string, ...args: unknown[]) {
    for (const handler of this.listeners.get(event) ?? [])
      (handler as (...a: unknown[]) => void)(...args);
  }
  destroy() {
    this.destroyed = true;
  }
}

const link = (participantId: string, initiator: boolean): MeshLink => ({
  participantId,
  initiator,
  send: true,
  receive: true,
});

const offer = (session: string) => ({
  type: 'offer',
  sdp: `offer-${session}`,
  peerSession: session,
});

describe('createMeshTransport', () => {
  let peers: FakePeer[];
  let sent: Array<{ to: string; signal: MeshSignal }>;
  let deliver: (from: string, signal: MeshSignal) => void;
  let mesh: MeshTransport;
  /** What the room would accept from someone its roster does not list yet. */
  let early: (participantId: string) => MeshLink | null;

  /** A transport over this test's fakes; `prepared`: peers made before joining. */
  const createMesh = (prepared?: Map<string, PreparedPeer>) =>
    createMeshTransport({
      clock: systemClock(),
      signalling: {
        selfParticipantId: 'm',
        sendSignal: async (to, signal) => {
          sent.push({ to, signal });
        },
        onSignal: (handler) => {
          deliver = handler;
          return () => {};
        },
      },
      createPeer: (options) => {
        const peer = new FakePeer(options);
        peers.push(peer);
        return peer;
      },
      createStream: () => ({}) as MediaStream,
      acceptEarly: (participantId) => early(participantId),
      prepared,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    peers = [];
    sent = [];
    early = () => null;
    mesh = createMesh();
  });

  afterEach(() => {
    mesh.close();
    vi.useRealTimers();
  });

  it('as initiator, tags its signals with a session and drops answers of other sessions', async () => {
    mesh.update([link('z', true)], { connectNew: true });
    const [peer] = peers;
    expect(peer?.options.initiator).toBe(true);
    peer?.emit('signal', { type: 'offer', sdp: 'o' });
    await vi.advanceTimersByTimeAsync(CANDIDATE_WAIT_MS);
    const session = sent[0]?.signal['peerSession'];
    expect(sent[0]).toEqual({ to: 'z', signal: { type: 'offer', sdp: 'o', peerSession: session } });
    deliver('z', { type: 'answer', sdp: 'stale', peerSession: 'old' });
    deliver('z', { type: 'answer', sdp: 'a', peerSession: session });
    expect(peer?.received).toEqual([{ type: 'answer', sdp: 'a' }]);
  });

  it('in the audience, sends an answer at once; on stage, waits briefly for a candidate', async () => {
    const answering = (participantId: string, send: boolean): MeshLink => ({
      participantId,
      initiator: false,
      send,
      receive: true,
    });
    mesh.update([answering('a', false), answering('b', true)], { connectNew: true });
    deliver('a', offer('s1'));
    deliver('b', offer('s2'));
    peers[0]?.emit('signal', { type: 'answer', sdp: 'to a' });
    peers[1]?.emit('signal', { type: 'answer', sdp: 'to b' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map(({ to }) => to)).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(CANDIDATE_WAIT_MS);
    expect(sent.map(({ to }) => to)).toEqual(['a', 'b']);
  });

  it('as answerer, replaces its peer when an offer of a new session arrives', () => {
    mesh.update([link('a', false)], { connectNew: true });
    expect(peers).toHaveLength(0);
    deliver('a', offer('s1'));
    deliver('a', { type: 'candidate', candidate: { candidate: 'c1' }, peerSession: 's1' });
    expect(peers[0]?.received.map((d) => d.type)).toEqual(['offer', 'candidate']);
    deliver('a', offer('s2'));
    expect(peers[0]?.destroyed).toBe(true);
    expect(peers[1]?.received).toEqual([{ type: 'offer', sdp: 'offer-s2' }]);
    deliver('a', { type: 'candidate', candidate: { candidate: 'late' }, peerSession: 's1' });
    expect(peers[1]?.received).toHaveLength(1);
  });

  it('keeps signals from someone not yet in the plan and replays them when they are', () => {
    deliver('a', offer('s1'));
    expect(peers).toHaveLength(0);
    mesh.update([link('a', false)], { connectNew: true });
    expect(peers[0]?.received).toEqual([{ type: 'offer', sdp: 'offer-s1' }]);
  });

  it('ignores malformed signals instead of handing them to simple-peer', () => {
    mesh.update([link('a', false)], { connectNew: true });
    deliver('a', offer('s1'));
    deliver('a', { type: 'candidate', candidate: 42, peerSession: 's1' });
    deliver('a', { bogus: true });
    expect(peers[0]?.received).toHaveLength(1);
  });

  it('recreates a closed peer: the initiator after a backoff, the answerer by asking', async () => {
    mesh.update([link('z', true), link('a', false)], { connectNew: true });
    deliver('a', offer('s1'));
    const [initiated, answered] = peers;
    initiated?.emit('close');
    answered?.emit('close');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toContainEqual({
      to: 'a',
      signal: { type: 'amphi-reconnect', peerSession: 's1' },
    });
    expect(peers).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(peers).toHaveLength(3);
    expect(peers[2]?.options.initiator).toBe(true);
  });

  it('restarts at once when the answerer asks about the current session', () => {
    mesh.update([link('z', true)], { connectNew: true });
    peers[0]?.emit('signal', { type: 'offer', sdp: 'o' });
    vi.advanceTimersByTime(CANDIDATE_WAIT_MS);
    const session = sent[0]?.signal['peerSession'];
    deliver('z', { type: 'amphi-reconnect', peerSession: 'other' });
    expect(peers).toHaveLength(1);
    deliver('z', { type: 'amphi-reconnect', peerSession: session });
    expect(peers).toHaveLength(2);
  });

  it('while draining, neither creates peers nor recreates closed ones', async () => {
    mesh.update([link('z', true)], { connectNew: true });
    mesh.update([link('z', true), link('y', true)], { connectNew: false });
    expect(peers).toHaveLength(1);
    peers[0]?.emit('close');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(peers).toHaveLength(1);
    expect(mesh.peers()).toEqual([]);
  });

  it('reports how it hears a peer once connected, and records what the peer reports', () => {
    mesh.update([link('z', true)], { connectNew: true });
    const [peer] = peers;
    mesh.setHearing('z', 'mesh');
    peer?.emit('connect');
    expect(peer?.sent).toEqual(['{"type":"hearing","source":"mesh"}']);
    mesh.setHearing('z', 'relay');
    expect(peer?.sent.at(-1)).toBe('{"type":"hearing","source":"relay"}');
    peer?.emit('data', '{"type":"hearing","source":"relay"}');
    expect(mesh.peers()[0]?.remoteHearing).toBe('relay');
  });

  it('closes peers that leave the plan and reports their stream ended', () => {
    const ended: string[] = [];
    mesh.on('stream-ended', ({ participantId }) => ended.push(participantId));
    mesh.update([link('z', true)], { connectNew: true });
    peers[0]?.emit('track', { kind: 'audio' }, { id: 'remote' });
    expect(mesh.streams().has('z')).toBe(true);
    mesh.update([], { connectNew: true });
    expect(peers[0]?.destroyed).toBe(true);
    expect(ended).toEqual(['z']);
  });

  it('backs off between offers to a peer that never connects', async () => {
    mesh.update([link('z', true)], { connectNew: true });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(peers[0]?.destroyed).toBe(true);
    expect(peers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(peers).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(15_000 + 1_999);
    expect(peers).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(peers).toHaveLength(3);
  });

  it('keeps the signals of someone its roster does not list yet when they are not an offer it may answer', () => {
    early = (participantId) => ({ participantId, initiator: true, send: true, receive: false });
    deliver('y', { type: 'answer', sdp: 'a', peerSession: 's1' });
    expect(peers).toHaveLength(0);
    early = (participantId) => ({ participantId, initiator: false, send: true, receive: false });
    deliver('x', { type: 'candidate', candidate: { candidate: 'c' }, peerSession: 's1' });
    expect(peers).toHaveLength(0);
  });

  it('answers an offer from someone its roster does not list yet, and drops them if it never does', async () => {
    early = (participantId) => ({ participantId, initiator: false, send: true, receive: false });
    deliver('a', offer('s1'));
    expect(peers[0]?.received).toEqual([{ type: 'offer', sdp: 'offer-s1' }]);
    mesh.update([], { connectNew: true });
    expect(peers[0]?.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(15_000);
    mesh.update([], { connectNew: true });
    expect(peers[0]?.destroyed).toBe(true);
  });

  it('keeps an early peer once its roster lists them', async () => {
    early = (participantId) => ({ participantId, initiator: false, send: true, receive: false });
    deliver('a', offer('s1'));
    mesh.update([link('a', false)], { connectNew: true });
    await vi.advanceTimersByTimeAsync(15_000);
    mesh.update([link('a', false)], { connectNew: true });
    expect(peers).toHaveLength(1);
    expect(peers[0]?.destroyed).toBe(false);
  });

  it('goes on with the peers made before joining for the links it offers, and closes the rest', async () => {
    const before = new Map(
      ['a', 'b', 'c'].map((id) => [id, new FakePeer({ initiator: true, config: undefined })]),
    );
    const forwarded: string[] = [];
    mesh.close();
    mesh = createMesh(
      new Map(
        [...before].map(([id, peer]) => [
          id,
          {
            peer,
            session: `prepared-${id}`,
            forward: (handler: (data: PeerSignalData) => void) => {
              forwarded.push(id);
              peer.on('signal', handler);
              handler({ type: 'candidate', candidate: { candidate: `late to ${id}` } });
            },
          },
        ]),
      ),
    );
    // The stage's answer may come before the roster that plans the link.
    deliver('a', { type: 'answer', sdp: 'from a', peerSession: 'prepared-a' });
    mesh.update([link('a', true), link('b', false)], { connectNew: true });
    expect(peers).toHaveLength(0);
    expect(forwarded).toEqual(['a']);
    expect(before.get('a')?.received).toEqual([{ type: 'answer', sdp: 'from a' }]);
    expect(before.get('a')?.destroyed).toBe(false);
    expect(before.get('b')?.destroyed).toBe(true);
    expect(before.get('c')?.destroyed).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([
      {
        to: 'a',
        signal: {
          type: 'candidate',
          candidate: { candidate: 'late to a' },
          peerSession: 'prepared-a',
        },
      },
    ]);
    expect(mesh.peers()).toEqual([
      expect.objectContaining({ participantId: 'a', session: 'prepared-a' }),
      expect.objectContaining({ participantId: 'b', session: null }),
    ]);
  });
});
