import { describe, expect, it } from 'vitest';
import { InboundTracker, readInboundAudio } from './inbound-stats.ts';

describe('readInboundAudio', () => {
  it('keeps inbound audio RTP entries only', () => {
    const stats = readInboundAudio([
      { type: 'inbound-rtp', kind: 'audio', mid: '2', trackIdentifier: 't', packetsReceived: 9 },
      { type: 'inbound-rtp', kind: 'video', mid: '3', packetsReceived: 1 },
      { type: 'outbound-rtp', kind: 'audio', packetsSent: 5 },
      { type: 'inbound-rtp', mediaType: 'audio', packetsReceived: 4, audioLevel: 0.5 },
      null,
    ]);
    expect(stats).toEqual([
      { mid: '2', trackIdentifier: 't', packetsReceived: 9, audioLevel: null },
      { mid: null, trackIdentifier: null, packetsReceived: 4, audioLevel: 0.5 },
    ]);
  });
});

describe('InboundTracker', () => {
  const sample = (packetsReceived: number, trackId = 't1') => ({
    trackId,
    packetsReceived,
    audioLevel: 0.2,
  });

  it('treats the first sample as a baseline and growth as receiving', () => {
    const tracker = new InboundTracker(1_000);
    expect(tracker.observe('relay:a', sample(500), 0).lastPacketAt).toBeNull();
    expect(tracker.receiving('relay:a', 0)).toBe(false);
    tracker.observe('relay:a', sample(510), 200);
    expect(tracker.receiving('relay:a', 200)).toBe(true);
  });

  it('stops receiving once packets stop growing for longer than staleMs', () => {
    const tracker = new InboundTracker(1_000);
    tracker.observe('k', sample(1), 0);
    tracker.observe('k', sample(2), 100);
    tracker.observe('k', sample(2), 1_000);
    expect(tracker.receiving('k', 1_000)).toBe(true);
    tracker.observe('k', sample(2), 1_200);
    expect(tracker.receiving('k', 1_200)).toBe(false);
  });

  it('restarts the count when the track changes or the counter goes back', () => {
    const tracker = new InboundTracker(1_000);
    tracker.observe('k', sample(1), 0);
    tracker.observe('k', sample(50), 100);
    expect(tracker.observe('k', sample(60, 't2'), 200).lastPacketAt).toBeNull();
    expect(tracker.observe('k', sample(3, 't2'), 300).lastPacketAt).toBeNull();
    expect(tracker.observe('k', sample(4, 't2'), 400).lastPacketAt).toBe(400);
  });

  it('forgets keys not retained', () => {
    const tracker = new InboundTracker();
    tracker.observe('a', sample(1), 0);
    tracker.observe('b', sample(1), 0);
    tracker.retain(new Set(['b']));
    expect(tracker.get('a')).toBeUndefined();
    expect(tracker.get('b')).toBeDefined();
  });
});
