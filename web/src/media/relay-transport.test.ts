import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.ts';
import type { MediaError } from './errors.ts';
import { createRelayTransport, type RelayTransport } from './relay-transport.ts';

type Listener = (event: unknown) => void;

class FakeTarget {
  readonly listeners = new Map<string, Listener[]>();
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  removeEventListener() {}
  emit(type: string, event: unknown = {}) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

const transceiver = (mid: string) => {
  const sender = {
    track: null as MediaStreamTrack | null,
    replaceTrack: async (track: MediaStreamTrack | null) => {
      sender.track = track;
    },
  };
  return {
    mid,
    direction: 'recvonly',
    sender,
    receiver: {
      track: { kind: 'audio', id: `t${mid}` },
      sources: [] as { source: number; timestamp: number; audioLevel?: number }[],
      getSynchronizationSources() {
        return this.sources;
      },
    },
  };
};

class FakePc extends FakeTarget {
  readonly transceivers = ['0', '1', '2'].map(transceiver);
  /** Never gathers a candidate: the relay needs none of ours. */
  iceGatheringState = 'gathering';
  iceConnectionState = 'new';
  connectionState = 'new';
  localDescription: { sdp: string } | null = null;
  inbound = new Map<string, number>();
  closed = false;
  async setRemoteDescription({ sdp }: { sdp: string }) {
    for (const [, mid] of sdp.matchAll(/^a=mid:(\S+)/gm)) {
      if (mid && !this.transceivers.some((t) => t.mid === mid)) {
        this.transceivers.push(transceiver(mid));
      }
    }
  }
  getTransceivers() {
    return this.transceivers;
  }
  async createAnswer() {
    return { type: 'answer', sdp: 'answer-sdp' };
  }
  async setLocalDescription(description: { sdp: string }) {
    this.localDescription = description;
  }
  async getStats() {
    return new Map(
      [...this.inbound].map(([mid, packetsReceived]) => [
        mid,
        { type: 'inbound-rtp', kind: 'audio', mid, packetsReceived, audioLevel: 0.1 },
      ]),
    );
  }
  close() {
    this.closed = true;
  }
}

const OFFER =
  'v=0\r\nm=audio 9 x\r\na=mid:0\r\nm=audio 9 x\r\na=mid:1\r\nm=audio 9 x\r\na=mid:2\r\n';

describe('createRelayTransport', () => {
  let pcs: FakePc[];
  let answers: string[];
  let opened: number;
  let relay: RelayTransport;
  let log: string[];
  let errors: MediaError[];
  let channel: FakeTarget & { label: string; sent: string[]; send(data: string): void };
  /** Who watches each session for its loss: the relay's `relaySessionLost`. */
  let lossWatchers: Map<string, () => void>;

  const message = (value: unknown) =>
    channel.emit('message', { data: typeof value === 'string' ? value : JSON.stringify(value) });

  beforeEach(async () => {
    vi.useFakeTimers();
    pcs = [];
    answers = [];
    opened = 0;
    lossWatchers = new Map();
    log = [];
    errors = [];
    relay = createRelayTransport({
      clock: systemClock(),
      signalling: {
        selfParticipantId: 'me',
        openRelay: async () => {
          opened += 1;
          return { sessionId: `r${opened}`, offer: OFFER };
        },
        answerRelay: async (_id, answer) => {
          answers.push(answer);
        },
        onRelayLost: (sessionId, handler) => {
          lossWatchers.set(sessionId, handler);
          return () => lossWatchers.delete(sessionId);
        },
      },
      createPeerConnection: () => {
        const pc = new FakePc();
        pcs.push(pc);
        return pc as unknown as RTCPeerConnection;
      },
      createStream: (track) => ({ id: `stream-${track.id}` }) as unknown as MediaStream,
    });
    relay.on('stream', ({ participantId }) => log.push(`+${participantId}`));
    relay.on('stream-ended', ({ participantId }) => log.push(`-${participantId}`));
    relay.on('error', (error) => errors.push(error));
    relay.connect();
    await vi.advanceTimersByTimeAsync(0);
    channel = Object.assign(new FakeTarget(), {
      label: 'amphi',
      sent: [] as string[],
      send(data: string) {
        channel.sent.push(data);
      },
    });
    pcs[0]?.emit('datachannel', { channel });
    pcs[0]!.iceConnectionState = 'connected';
    pcs[0]?.emit('iceconnectionstatechange');
  });

  afterEach(() => {
    relay.close();
    vi.useRealTimers();
  });

  it('answers with the first transceiver sending, without waiting for a candidate, and connects', () => {
    expect(answers).toEqual(['answer-sdp']);
    expect(pcs[0]?.iceGatheringState).toBe('gathering');
    expect(pcs[0]?.transceivers[0]?.direction).toBe('sendonly');
    expect(relay.state()).toBe('connected');
  });

  it('maps slots to participants, ignoring our own slot', () => {
    message({
      type: 'slots',
      slots: [
        { slot: 0, mid: '1', participantId: 'p1' },
        { slot: 1, mid: '2', participantId: 'me' },
      ],
    });
    expect([...relay.streams().keys()]).toEqual(['p1']);
    expect(relay.streams().get('p1')?.id).toBe('stream-t1');
  });

  it('ends the old holder of a slot before announcing the new one', () => {
    message({ type: 'slots', slots: [{ slot: 0, mid: '1', participantId: 'p1' }] });
    message({ type: 'slots', slots: [{ slot: 0, mid: '1', participantId: 'p2' }] });
    expect(log).toEqual(['+p1', '-p1', '+p2']);
  });

  it('reports malformed messages and unknown mids without throwing', () => {
    message('{"type":"slots","slots":[{"slot":0,"mid":"1","participantId":"p1"},');
    message({ type: 'slots', slots: [{ slot: 0, mid: '9', participantId: 'p1' }] });
    expect(errors.map((e) => e.reason)).toEqual(['RELAY_PROTOCOL', 'RELAY_PROTOCOL']);
    expect(relay.streams().size).toBe(0);
  });

  it('reads each relayed speaker’s level from the packets their slot received', () => {
    message({
      type: 'slots',
      slots: [
        { slot: 1, mid: '2', participantId: 'p1' },
        { slot: 0, mid: '1', participantId: 'p2' },
      ],
    });
    const [, p2Slot, p1Slot] = pcs[0]?.transceivers ?? [];
    p1Slot!.receiver.sources = [{ source: 7, timestamp: performance.now(), audioLevel: 0.5 }];
    // p2's packets carry no level: left out, for the room to measure it otherwise.
    p2Slot!.receiver.sources = [{ source: 8, timestamp: performance.now() }];
    expect(relay.levels()).toEqual(new Map([['p1', 0.5]]));
    p1Slot!.receiver.sources = [
      { source: 7, timestamp: performance.now() - 5_000, audioLevel: 0.5 },
    ];
    expect(relay.levels()).toEqual(new Map([['p1', 0]]));
  });

  it('samples inbound packets per participant by mid', async () => {
    message({ type: 'slots', slots: [{ slot: 1, mid: '2', participantId: 'p1' }] });
    pcs[0]?.inbound.set('2', 42);
    pcs[0]?.inbound.set('1', 7);
    expect(await relay.sample()).toEqual(
      new Map([['p1', { trackId: 'r1:2', packetsReceived: 42, audioLevel: 0.1 }]]),
    );
  });

  it('sends the microphone on the first transceiver', async () => {
    const track = { id: 'mic' } as MediaStreamTrack;
    relay.setMicrophone(track);
    await vi.advanceTimersByTimeAsync(0);
    expect(pcs[0]?.transceivers[0]?.sender.track).toBe(track);
  });

  it('reopens the session when ICE fails, ending the old streams first', async () => {
    message({ type: 'slots', slots: [{ slot: 0, mid: '1', participantId: 'p1' }] });
    pcs[0]!.iceConnectionState = 'failed';
    pcs[0]?.emit('iceconnectionstatechange');
    expect(log).toEqual(['+p1', '-p1']);
    expect(errors.map((e) => e.reason)).toEqual(['RELAY_FAILED']);
    expect(relay.state()).toBe('reconnecting');
    expect(pcs[0]?.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(opened).toBe(2);
    expect(answers).toHaveLength(2);
  });

  it('reopens the session as soon as the relay says it lost it, and stops watching the old one', async () => {
    message({ type: 'slots', slots: [{ slot: 0, mid: '1', participantId: 'p1' }] });
    lossWatchers.get('r1')?.();
    expect(log).toEqual(['+p1', '-p1']);
    expect(relay.state()).toBe('reconnecting');
    expect(pcs[0]?.closed).toBe(true);
    expect(lossWatchers.has('r1')).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(opened).toBe(2);
    expect([...lossWatchers.keys()]).toEqual(['r2']);
    relay.close();
    expect(lossWatchers.size).toBe(0);
  });

  it('plays the slots the offer announces before the data channel says anything', async () => {
    relay.close();
    const slots = JSON.stringify({
      type: 'slots',
      slots: [
        { slot: 0, mid: '1', participantId: 'p1' },
        { slot: 1, mid: '2', participantId: 'me' },
      ],
    });
    const fresh = createRelayTransport({
      clock: systemClock(),
      signalling: {
        selfParticipantId: 'me',
        openRelay: async () => ({
          sessionId: 'r9',
          offer: OFFER.replace('m=audio', `a=amphi-slots:${slots}\r\nm=audio`),
        }),
        answerRelay: async () => {},
        onRelayLost: () => () => {},
      },
      createPeerConnection: () => new FakePc() as unknown as RTCPeerConnection,
      createStream: (track) => ({ id: `stream-${track.id}` }) as unknown as MediaStream,
    });
    const added: string[] = [];
    fresh.on('stream', ({ participantId }) => added.push(participantId));
    fresh.connect();
    await vi.advanceTimersByTimeAsync(0);
    expect(added).toEqual(['p1']);
    expect(fresh.streams().get('p1')?.id).toBe('stream-t1');
    fresh.close();
  });

  it('reports a malformed slot announcement in the offer and plays nothing from it', async () => {
    relay.close();
    const fresh = createRelayTransport({
      clock: systemClock(),
      signalling: {
        selfParticipantId: 'me',
        openRelay: async () => ({
          sessionId: 'r9',
          offer: OFFER.replace('m=audio', 'a=amphi-slots:{"type":"slots","slots":[{}]}\r\nm=audio'),
        }),
        answerRelay: async () => {},
        onRelayLost: () => () => {},
      },
      createPeerConnection: () => new FakePc() as unknown as RTCPeerConnection,
    });
    const reasons: string[] = [];
    fresh.on('error', (error) => reasons.push(error.reason));
    fresh.connect();
    await vi.advanceTimersByTimeAsync(0);
    expect(reasons).toEqual(['RELAY_PROTOCOL']);
    expect(fresh.streams().size).toBe(0);
    fresh.close();
  });

  it('answers a re-offer on the data channel and plays a slot on a section it added', async () => {
    const reoffer = `${OFFER}m=audio 9 x\r\na=mid:4\r\n`;
    message({ type: 'offer', revision: 3, sdp: reoffer });
    await vi.advanceTimersByTimeAsync(0);
    expect(channel.sent.map((data) => JSON.parse(data))).toEqual([
      { type: 'answer', revision: 3, sdp: 'answer-sdp' },
    ]);
    expect(pcs[0]?.transceivers[0]?.direction).toBe('sendonly');
    message({ type: 'slots', slots: [{ slot: 3, mid: '4', participantId: 'p4' }] });
    expect(log).toEqual(['+p4']);
    expect(errors).toEqual([]);
  });

  it('reports a re-offer it cannot apply and keeps playing the slots it had', async () => {
    message({ type: 'slots', slots: [{ slot: 0, mid: '1', participantId: 'p1' }] });
    pcs[0]!.setRemoteDescription = () => Promise.reject(new Error('bad offer'));
    message({ type: 'offer', revision: 1, sdp: 'v=0\r\n' });
    await vi.advanceTimersByTimeAsync(0);
    expect(channel.sent).toEqual([]);
    expect(errors.map((error) => error.reason)).toEqual(['RELAY_FAILED']);
    expect(relay.state()).toBe('connected');
    expect(log).toEqual(['+p1']);
  });
});
