import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.ts';
import { firstAudioMid, waitForFirstCandidate } from './relay-session.ts';

describe('firstAudioMid', () => {
  it('finds the first audio m-line’s mid', () => {
    const sdp = [
      'v=0',
      'o=- 1 1 IN IP4 0.0.0.0',
      's=-',
      't=0 0',
      'a=group:BUNDLE 0 1 2',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=recvonly',
      'a=mid:0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=sendonly',
      'a=mid:1',
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'a=mid:2',
      '',
    ].join('\r\n');
    expect(firstAudioMid(sdp)).toBe('0');
  });

  it('skips non-audio sections and returns null without audio', () => {
    expect(firstAudioMid('v=0\r\nm=application 9 x\r\na=mid:d\r\nm=audio 9 x\r\na=mid:a\r\n')).toBe(
      'a',
    );
    expect(firstAudioMid('v=0\r\nm=application 9 x\r\na=mid:d\r\n')).toBeNull();
  });
});

/** A peer connection as far as gathering goes: candidates arrive in its local description. */
class GatheringPc extends EventTarget {
  iceGatheringState: RTCIceGatheringState = 'gathering';
  localDescription: { sdp: string } | null = { sdp: 'v=0\r\nm=audio 9 x\r\n' };

  gather(candidate: string) {
    this.localDescription = { sdp: `${this.localDescription?.sdp}a=candidate:${candidate}\r\n` };
    this.dispatchEvent(new Event('icecandidate'));
  }
}

describe('waitForFirstCandidate', () => {
  it('answers with the first candidate, without waiting for gathering to complete', async () => {
    const pc = new GatheringPc();
    let answered = false;
    const waiting = waitForFirstCandidate(
      pc as unknown as RTCPeerConnection,
      60_000,
      systemClock(),
    ).then(() => {
      answered = true;
    });
    await Promise.resolve();
    expect(answered).toBe(false);
    pc.gather('1 1 udp 2122260223 127.0.0.1 50000 typ host');
    await waiting;
    expect(pc.iceGatheringState).toBe('gathering');
  });

  it('gives up after the timeout with whatever was gathered', async () => {
    const pc = new GatheringPc();
    await waitForFirstCandidate(pc as unknown as RTCPeerConnection, 10, systemClock());
    expect(pc.localDescription?.sdp).not.toContain('a=candidate');
  });
});
