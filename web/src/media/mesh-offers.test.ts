import { describe, expect, it } from 'vitest';
import { prepareMeshOffers } from './mesh-offers.ts';
import type { MeshPeer, MeshPeerOptions } from './mesh-peer.ts';
import type { PeerSignalData } from './mesh-signal.ts';

type Listener = (...args: unknown[]) => void;

class FakePeer implements MeshPeer {
  readonly pc = null;
  readonly listeners = new Map<string, Listener[]>();
  destroyed = false;
  constructor(readonly options: MeshPeerOptions) {}
  signal() {}
  setTrack() {}
  negotiate() {}
  send() {}
  on(event: string, handler: (...args: never[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), handler as Listener]);
  }
  emit(event: string, ...args: unknown[]) {
    for (const handler of this.listeners.get(event) ?? []) handler(...args);
  }
  destroy() {
    this.destroyed = true;
  }
}

const candidate = (n: number): PeerSignalData => ({
  type: 'candidate',
  candidate: { candidate: `candidate:${n}`, sdpMid: '0', sdpMLineIndex: 0 },
});

function prepare(ids: string[]) {
  const peers: FakePeer[] = [];
  const offers = prepareMeshOffers(ids, {
    createPeer: (options) => {
      const peer = new FakePeer(options);
      peers.push(peer);
      return peer;
    },
  });
  return { offers, peers };
}

describe('prepareMeshOffers', () => {
  it('makes one offering peer per person and is ready once each has its offer or failed', async () => {
    const { offers, peers } = prepare(['a', 'b', 'a']);
    expect(peers.map((peer) => peer.options.initiator)).toEqual([true, true]);
    let ready = false;
    void offers.ready.then(() => (ready = true));
    peers[0]?.emit('signal', { type: 'offer', sdp: 'to a' });
    await Promise.resolve();
    expect(ready).toBe(false);
    peers[1]?.emit('error', new Error('no WebRTC'));
    await offers.ready;
  });

  it('gives the join each offer with the candidates so far, in one session-tagged signal', () => {
    const { offers, peers } = prepare(['a', 'b']);
    peers[0]?.emit('signal', { type: 'offer', sdp: 'to a' });
    peers[0]?.emit('signal', candidate(1));
    const [toA, ...rest] = offers.take();
    expect(rest).toEqual([]);
    expect(toA?.participantId).toBe('a');
    expect(toA?.signal).toEqual({
      type: 'amphi-batch',
      signals: [{ type: 'offer', sdp: 'to a' }, candidate(1)],
      peerSession: expect.any(String),
    });
  });

  it('hands the mesh what the join did not deliver: the rest where it did, all where it did not', () => {
    const { offers, peers } = prepare(['a', 'b', 'c']);
    peers[0]?.emit('signal', { type: 'offer', sdp: 'to a' });
    peers[1]?.emit('signal', { type: 'offer', sdp: 'to b' });
    peers[2]?.emit('signal', { type: 'offer', sdp: 'to c' });
    const taken = offers.take();
    peers[0]?.emit('signal', candidate(2));
    peers[2]?.emit('error', new Error('failed'));
    const handed = offers.handOver(['a']);
    expect([...handed.keys()]).toEqual(['a', 'b']);
    expect(peers[2]?.destroyed).toBe(true);
    expect(handed.get('a')?.session).toBe(taken[0]?.signal['peerSession']);
    const toA: PeerSignalData[] = [];
    handed.get('a')?.forward((data) => toA.push(data));
    peers[0]?.emit('signal', candidate(3));
    expect(toA).toEqual([candidate(2), candidate(3)]);
    const toB: PeerSignalData[] = [];
    handed.get('b')?.forward((data) => toB.push(data));
    expect(toB).toEqual([{ type: 'offer', sdp: 'to b' }]);
  });

  it('closes every peer it still holds', () => {
    const { offers, peers } = prepare(['a', 'b']);
    offers.close();
    expect(peers.every((peer) => peer.destroyed)).toBe(true);
  });
});
