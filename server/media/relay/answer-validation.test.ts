import { describe, expect, it } from 'vitest';
import { announceIp } from './announced-ip.ts';
import { assertAnswer, offeredSections } from './answer-validation.ts';

const section = (kind: string, mid: string, setup: string, extra = '') =>
  [
    kind === 'audio'
      ? `m=audio 9 UDP/TLS/RTP/SAVPF 111`
      : 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    `a=mid:${mid}`,
    `a=setup:${setup}`,
    kind === 'audio' ? 'a=rtpmap:111 opus/48000/2' : 'a=sctp-port:5000',
    extra,
  ]
    .filter(Boolean)
    .join('\r\n');

const sdp = (
  setup: string,
  sections = [
    ['audio', '0'],
    ['audio', '1'],
    ['application', '2'],
  ],
) =>
  [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=ice-ufrag:abcd',
    'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=fingerprint:sha-256 AB:CD',
    ...sections.map(([kind, mid]) => section(kind!, mid!, setup)),
    '',
  ].join('\r\n');

describe('assertAnswer', () => {
  const offered = offeredSections(sdp('actpass'));

  it('accepts an answer mirroring the offer', () => {
    expect(() => assertAnswer(sdp('active'), offered)).not.toThrow();
  });

  it.each([
    ['not SDP', 'hello'],
    ['an offer', sdp('actpass')],
    [
      'a section short',
      sdp('active', [
        ['audio', '0'],
        ['audio', '1'],
      ]),
    ],
    [
      'mids out of order',
      sdp('active', [
        ['audio', '1'],
        ['audio', '0'],
        ['application', '2'],
      ]),
    ],
    ['no ICE credentials', sdp('active').replace(/a=ice-pwd:.*\r\n/, '')],
    ['no Opus', sdp('active').replaceAll('opus', 'PCMU')],
    ['not a string', 42],
  ])('rejects %s with BAD_SDP', (_, answer) => {
    expect(() => assertAnswer(answer, offered)).toThrow(
      expect.objectContaining({ name: 'RelayError', reason: 'BAD_SDP' }),
    );
  });
});

describe('announceIp', () => {
  const candidate = 'a=candidate:1 1 udp 2130706431 192.0.2.2 40000 typ host generation 0';

  it('replaces the address of host candidates only', () => {
    const relayed = 'a=candidate:2 1 udp 16777215 198.51.100.7 3478 typ relay raddr 0.0.0.0';
    const offer = `${candidate}\r\n${relayed}\r\n`;
    expect(announceIp(offer, '203.0.113.9')).toBe(
      `${candidate.replace('192.0.2.2', '203.0.113.9')}\r\n${relayed}\r\n`,
    );
  });

  it('leaves the offer alone without an announced address', () => {
    expect(announceIp(candidate, undefined)).toBe(candidate);
  });
});
