import { describe, expect, it } from 'vitest';
import {
  encodeMeshSignal,
  type MeshWireSignal,
  parseMeshSignal,
  parsePeerMessage,
} from './mesh-signal.ts';

describe('mesh signals', () => {
  it('round-trips every kind', () => {
    const signals: MeshWireSignal[] = [
      { kind: 'peer', session: 's1', data: [{ type: 'offer', sdp: 'v=0' }] },
      { kind: 'peer', session: 's1', data: [{ type: 'answer', sdp: 'v=0' }] },
      {
        kind: 'peer',
        session: 's1',
        data: [{ type: 'candidate', candidate: { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 } }],
      },
      { kind: 'peer', session: 's1', data: [{ type: 'renegotiate', renegotiate: true }] },
      {
        kind: 'peer',
        session: 's1',
        data: [{ type: 'transceiverRequest', transceiverRequest: { kind: 'audio' } }],
      },
      {
        kind: 'peer',
        session: 's2',
        data: [
          { type: 'offer', sdp: 'v=0' },
          { type: 'candidate', candidate: { candidate: 'c', sdpMid: null, sdpMLineIndex: 0 } },
        ],
      },
      { kind: 'reconnect', session: null },
      { kind: 'reconnect', session: 's1' },
      { kind: 'restart-ice', session: 's1' },
    ];
    for (const signal of signals) {
      expect(parseMeshSignal(JSON.parse(JSON.stringify(encodeMeshSignal(signal))))).toEqual(signal);
    }
  });

  it('keeps simple-peer data at the top level of the payload', () => {
    expect(
      encodeMeshSignal({ kind: 'peer', session: 's', data: [{ type: 'offer', sdp: 'x' }] }),
    ).toEqual({ type: 'offer', sdp: 'x', peerSession: 's' });
  });

  it('rejects malformed signals', () => {
    const bad: unknown[] = [
      null,
      'offer',
      [],
      { type: 'offer', sdp: 'x' },
      { type: 'offer', sdp: 'x', peerSession: '' },
      { type: 'offer', sdp: 42, peerSession: 's' },
      { type: 'candidate', candidate: 'c', peerSession: 's' },
      { type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: '0' }, peerSession: 's' },
      { type: 'renegotiate', peerSession: 's' },
      { type: 'transceiverRequest', transceiverRequest: {}, peerSession: 's' },
      { type: 'pranswer', sdp: 'x', peerSession: 's' },
      { type: 'amphi-reconnect', peerSession: 3 },
      { type: 'amphi-restart-ice' },
      { type: 'amphi-batch', signals: [], peerSession: 's' },
      {
        type: 'amphi-batch',
        signals: [{ type: 'offer', sdp: 'x' }, { type: 'nope' }],
        peerSession: 's',
      },
    ];
    for (const value of bad) expect(parseMeshSignal(value), JSON.stringify(value)).toBeNull();
  });
});

describe('peer messages', () => {
  it('parses hearing reports and rejects anything else', () => {
    expect(parsePeerMessage('{"type":"hearing","source":"relay"}')).toEqual({
      type: 'hearing',
      source: 'relay',
    });
    expect(parsePeerMessage('{"type":"hearing","source":"both"}')).toBeNull();
    expect(parsePeerMessage('{"type":"hello"}')).toBeNull();
    expect(parsePeerMessage('not json')).toBeNull();
  });
});
