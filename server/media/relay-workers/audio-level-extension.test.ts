import { describe, expect, it } from 'vitest';
import { audioLevelExtensionId } from './audio-level-extension.ts';

const answer = (extmaps: string) =>
  [
    'v=0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    extmaps,
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=extmap:9 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    '',
  ].join('\r\n');

describe('audioLevelExtensionId', () => {
  it('finds the microphone section’s audio level id', () => {
    expect(
      audioLevelExtensionId(
        answer(
          'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\na=extmap:1/sendonly urn:ietf:params:rtp-hdrext:ssrc-audio-level',
        ),
      ),
    ).toBe(1);
  });

  it('is undefined where the microphone negotiated none', () => {
    expect(audioLevelExtensionId(answer('a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid'))).toBe(
      undefined,
    );
    expect(audioLevelExtensionId('not sdp')).toBeUndefined();
  });
});
