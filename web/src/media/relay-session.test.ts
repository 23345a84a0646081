import { describe, expect, it } from 'vitest';
import { firstAudioMid } from './relay-session.ts';

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
