import { afterEach, describe, expect, it } from 'vitest';
import {
  connectWeriftClient,
  connectWrtcClient,
  pitchOf,
  type RelayTestClient,
  waitFor,
} from '../../../tests/helpers/relay-peers.ts';
import { createRelay, type Relay } from './relay.ts';

describe('createRelay', () => {
  let relay: Relay | undefined;
  const clients: RelayTestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await relay?.stop();
    relay = undefined;
  });

  async function join<Client extends RelayTestClient>(
    spaceId: string,
    participantId: string,
    connect: (offer: string) => Promise<Client>,
  ): Promise<Client> {
    const { sessionId, offer } = await relay!.open(spaceId, participantId);
    const client = await connect(offer);
    clients.push(client);
    await relay!.answer(sessionId, client.answer);
    return client;
  }

  it('forwards a publisher to every other participant on its announced slot', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['speaker']));
    const speaker = await join('space', 'speaker', (offer) =>
      connectWrtcClient(offer, { speak: true }),
    );
    const ears = await join('space', 'ears', (offer) => connectWrtcClient(offer, { listen: true }));
    const counter = await join('space', 'counter', connectWeriftClient);

    await waitFor(() => ears.midOf('speaker') !== undefined, 'the speaker’s slot');
    const earsMid = ears.midOf('speaker')!;
    await waitFor(() => ears.audio(earsMid).loudFrames >= 100, 'audible frames');
    expect(pitchOf(ears.audio(earsMid))).toBeGreaterThan(400);
    expect(pitchOf(ears.audio(earsMid))).toBeLessThan(480);
    const otherSlots = ears.slotMids.filter((mid) => mid !== earsMid);
    // One publisher: its seat and two spare sections (slot-sections.ts), not all 13 seats.
    expect(otherSlots).toHaveLength(2);
    expect(otherSlots.map((mid) => ears.audio(mid).loudFrames)).toEqual(otherSlots.map(() => 0));
    // RTCP sender reports reach the listener (browsers use them for sync and statistics).
    await waitFor(async () => (await ears.packetsReportedSent()) > 0, 'a sender report');

    await waitFor(() => counter.midOf('speaker') !== undefined, 'the speaker’s slot');
    const counterMid = counter.midOf('speaker')!;
    await waitFor(() => counter.packetsOn(counterMid) >= 100, 'packets on the slot');
    expect(counter.totalPackets()).toBe(counter.packetsOn(counterMid));

    expect(speaker.midOf('speaker')).toBeDefined();
    expect(await speaker.packetsReceived()).toBe(0);
  });

  it('announces the slots held when it offers in the offer itself, as the data channel does later', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['speaker']));
    await join('space', 'speaker', (offer) => connectWrtcClient(offer, { speak: true }));
    const early = await join('space', 'early', connectWeriftClient);
    await waitFor(() => early.midOf('speaker') !== undefined, 'the speaker’s slot');

    const { sessionId, offer } = await relay.open('space', 'late');
    const announced = /^a=amphi-slots:(.*)$/m.exec(offer)?.[1]?.trim();
    expect(offer.indexOf('a=amphi-slots:')).toBeLessThan(offer.indexOf('\nm='));
    const late = await connectWrtcClient(offer, { listen: true });
    clients.push(late);
    await relay.answer(sessionId, late.answer);
    await waitFor(() => late.midOf('speaker') !== undefined, 'the speaker’s slot');
    expect(JSON.parse(announced ?? 'null')).toEqual({
      type: 'slots',
      slots: [{ slot: 0, mid: late.midOf('speaker'), participantId: 'speaker' }],
    });
    await waitFor(() => late.audio(late.midOf('speaker')!).loudFrames >= 10, 'audible frames');
  });

  it('keeps slots stable and hands a freed slot to the next publisher', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['ann', 'bob']));
    const ears = await join('space', 'ears', (offer) => connectWrtcClient(offer, { listen: true }));
    for (const [name, hz] of [
      ['ann', 440],
      ['bob', 440],
      ['cid', 660],
    ] as const) {
      await join('space', name, (offer) => connectWrtcClient(offer, { speak: true, hz }));
    }
    await waitFor(() => ears.slots()?.length === 2, 'two seated speakers');
    const slotOf = (name: string) => ears.slots()?.find((slot) => slot.participantId === name);
    const [ann, bob] = [slotOf('ann')!, slotOf('bob')!];

    relay.setPublishers('space', new Set(['bob', 'cid']));
    await waitFor(() => slotOf('cid') !== undefined, 'cid seated');
    expect(ears.slots()).toEqual(
      expect.arrayContaining([bob, { slot: ann.slot, mid: ann.mid, participantId: 'cid' }]),
    );
    // Ann's last packets may still be in the listener's jitter buffer (more so on a busy
    // machine): let the slot play on a little before measuring whose voice it carries.
    const switched = ears.audio(ann.mid).loudFrames;
    await waitFor(() => ears.audio(ann.mid).loudFrames >= switched + 50, 'the switch to settle');
    const before = { ...ears.audio(ann.mid) };
    await waitFor(() => ears.audio(ann.mid).loudFrames >= before.loudFrames + 100, 'cid’s audio');
    const after = ears.audio(ann.mid);
    const pitch = pitchOf({
      frames: 0,
      loudFrames: 0,
      samples: after.samples - before.samples,
      crossings: after.crossings - before.crossings,
    });
    expect(pitch).toBeGreaterThan(600);
    expect(pitch).toBeLessThan(700);
  });

  it('never forwards a participant outside the publisher set', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['someone-else']));
    await join('space', 'intruder', (offer) => connectWrtcClient(offer, { speak: true }));
    const counter = await join('space', 'counter', connectWeriftClient);
    await waitFor(() => counter.slots() !== undefined, 'the slots message');

    await waitFor(() => relay!.stats().droppedPackets >= 100, 'the intruder’s packets');
    expect(counter.totalPackets()).toBe(0);
    expect(counter.messages.filter((message) => message.type !== 'slots')).toEqual([]);
    expect(
      counter.messages.flatMap((message) => (message.type === 'slots' ? message.slots : [])),
    ).toEqual([]);
    expect(relay.stats().forwardedPackets).toBe(0);
  });

  it('stops forwarding a revoked publisher and announces the freed slot', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['speaker']));
    await join('space', 'speaker', (offer) => connectWrtcClient(offer, { speak: true }));
    const counter = await join('space', 'counter', connectWeriftClient);
    await waitFor(() => counter.midOf('speaker') !== undefined, 'the speaker’s slot');
    await waitFor(() => counter.totalPackets() >= 50, 'the speaker’s packets');

    relay.setPublishers('space', new Set());
    await waitFor(() => counter.slots()?.length === 0, 'the freed slot');
    // Packets already on the wire when the slot was freed may still land; then nothing more.
    const dropped = relay.stats().droppedPackets;
    await waitFor(() => relay!.stats().droppedPackets >= dropped + 20, 'dropped packets');
    const heard = counter.totalPackets();
    await waitFor(() => relay!.stats().droppedPackets >= dropped + 100, 'more dropped packets');
    expect(counter.totalPackets()).toBe(heard);
  });

  it('rejects bad answers and unknown sessions without disturbing a live session', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('live', new Set(['speaker']));
    await join('live', 'speaker', (offer) => connectWrtcClient(offer, { speak: true }));
    const counter = await join('live', 'counter', connectWeriftClient);
    await waitFor(() => counter.totalPackets() >= 20, 'live packets');

    const { sessionId, offer } = await relay.open('other', 'client');
    const client = await connectWeriftClient(offer);
    clients.push(client);
    const badAnswers = {
      garbage: 'hello',
      empty: '',
      'the offer itself': offer,
      'a truncated answer': client.answer.slice(0, client.answer.length / 2),
      'an answer with a section missing': client.answer.slice(
        0,
        client.answer.indexOf('m=application'),
      ),
      'an answer without Opus': client.answer.replaceAll(/opus/gi, 'speex'),
    };
    for (const [what, sdp] of Object.entries(badAnswers)) {
      await expect(relay.answer(sessionId, sdp), what).rejects.toMatchObject({
        name: 'RelayError',
        reason: 'BAD_SDP',
      });
    }
    await expect(relay.answer('no-such-session', client.answer)).rejects.toMatchObject({
      reason: 'UNKNOWN_SESSION',
    });
    await relay.answer(sessionId, client.answer);
    await expect(relay.answer(sessionId, client.answer)).rejects.toMatchObject({
      reason: 'BAD_SDP',
    });
    await waitFor(() => client.slots() !== undefined, 'the repaired session’s slots');

    const heard = counter.totalPackets();
    await waitFor(() => counter.totalPackets() >= heard + 50, 'live packets after the bad input');
    expect(relay.stats().sessions).toBe(3);
  });

  it('replaces a participant’s earlier session and settles opens raced by closes', async () => {
    relay = createRelay({ port: 0 });
    const first = await relay.open('space', 'ann');
    const second = await relay.open('space', 'ann');
    await expect(relay.answer(first.sessionId, 'v=0')).rejects.toMatchObject({
      reason: 'UNKNOWN_SESSION',
    });
    expect(relay.stats().sessions).toBe(1);

    const closedWhileOpening = relay.open('space', 'bob');
    await relay.close('space', 'bob');
    await expect(closedWhileOpening).rejects.toMatchObject({ reason: 'CLOSED' });

    await relay.closeSpace('space');
    await expect(relay.answer(second.sessionId, 'v=0')).rejects.toMatchObject({
      reason: 'UNKNOWN_SESSION',
    });
    // Opened right before stopping: an offer on the shared socket binds nothing and is quick.
    const stoppedWhileOpening = relay.open('other', 'cid');
    await relay.stop();
    await expect(stoppedWhileOpening).rejects.toMatchObject({ reason: 'CLOSED' });
    await expect(relay.open('space', 'ann')).rejects.toMatchObject({ reason: 'CLOSED' });
    expect(relay.stats().sessions).toBe(0);
  });
});
