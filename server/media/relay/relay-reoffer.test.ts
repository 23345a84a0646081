import { afterEach, describe, expect, it } from 'vitest';
import {
  connectWeriftClient,
  connectWrtcClient,
  pitchOf,
  type RelayTestClient,
  type WrtcClientOptions,
  waitFor,
} from '../../../tests/helpers/relay-peers.ts';
import { createRelay, type Relay } from './relay.ts';
import type { RelayMessage } from './relay-messages.ts';

type OfferMessage = Extract<RelayMessage, { type: 'offer' }>;

describe('createRelay re-offers', () => {
  let relay: Relay | undefined;
  const clients: RelayTestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await relay?.stop();
    relay = undefined;
  });

  async function join<Client extends RelayTestClient>(
    participantId: string,
    connect: (offer: string) => Promise<Client>,
  ): Promise<Client & { sessionId: string }> {
    const { sessionId, offer } = await relay!.open('space', participantId);
    const client = await connect(offer);
    clients.push(client);
    await relay!.answer(sessionId, client.answer);
    return Object.assign(client, { sessionId });
  }

  const speaker = (hz: number) => (offer: string) =>
    connectWrtcClient(offer, { speak: true, hz } satisfies WrtcClientOptions);

  /** A listener that answers every re-offer: its announcements show who is seated. */
  let witness: RelayTestClient | undefined;

  /** Seats speakers s0..s3 in slots 0-3 in turn, s3 at 660 Hz and the others at 440 Hz. */
  async function seatFourSpeakers(): Promise<void> {
    relay!.setPublishers('space', new Set(['s0', 's1', 's2', 's3']));
    for (const [index, name] of ['s0', 's1', 's2', 's3'].entries()) {
      await join(name, speaker(index === 3 ? 660 : 440));
      // Seats go lowest first, in the order of first packets: seat them one at a time.
      await waitFor(() => (witness?.slots()?.length ?? 0) > index, `${name} seated`);
    }
  }

  it('offers a listener only the sections its space needs, and re-offers when a seat exceeds them', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['s0']));
    const ears = await join('ears', (offer) => connectWrtcClient(offer, { listen: true }));
    const offered = [...ears.slotMids];
    expect(offered).toHaveLength(3);
    witness = await join('witness', (offer) => connectWeriftClient(offer));

    await seatFourSpeakers();
    await waitFor(() => ears.midOf('s3') !== undefined, 's3 announced to the early listener');
    const mid = ears.midOf('s3')!;
    expect(offered).not.toContain(mid);
    await waitFor(() => ears.audio(mid).loudFrames >= 50, 's3 heard by the early listener');
    expect(pitchOf(ears.audio(mid))).toBeGreaterThan(600);
    expect(pitchOf(ears.audio(mid))).toBeLessThan(700);
    // The re-offer added sections after the existing ones: the first slots kept their mids.
    expect(ears.slotMids.slice(0, 3)).toEqual(offered);
    expect(ears.midOf('s0')).toBe(offered[0]);
    await waitFor(() => ears.audio(offered[0]!).loudFrames >= 50, 's0 still heard');
  });

  it('keeps a client that never answers a re-offer hearing what it had, and closes it cleanly', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['s0']));
    const mute = await join('mute', (offer) => connectWeriftClient(offer, { reoffers: 'ignore' }));
    witness = await join('witness', (offer) => connectWeriftClient(offer));

    await seatFourSpeakers();
    await waitFor(() => mute.messages.some((m) => m.type === 'offer'), 'a re-offer');
    const s0 = mute.midOf('s0')!;
    const heard = mute.packetsOn(s0);
    await waitFor(() => mute.packetsOn(s0) >= heard + 50, 's0 still heard');
    // It is only told about the slots it has sections for.
    expect(
      mute
        .slots()
        ?.map((slot) => slot.participantId)
        .sort(),
    ).toEqual(['s0', 's1', 's2']);
    expect(relay.isOpen(mute.sessionId)).toBe(true);

    await relay.close('space', 'mute');
    expect(relay.isOpen(mute.sessionId)).toBe(false);
    expect(relay.stats().sessions).toBe(5);
  });

  it('takes an answer to a re-offer that comes after the re-offer timed out', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['s0']));
    const late = await join('late', (offer) =>
      connectWrtcClient(offer, { listen: true, reoffers: 'ignore' }),
    );
    witness = await join('witness', (offer) => connectWeriftClient(offer));
    await seatFourSpeakers();
    await waitFor(() => late.messages.some((m) => m.type === 'offer'), 'a re-offer');
    const reoffer = late.messages.findLast((m): m is OfferMessage => m.type === 'offer')!;
    const answer = await late.answerReoffer(reoffer.sdp);

    // Past the relay's 10 s wait for a re-answer, as a client busy elsewhere would be.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    late.send(JSON.stringify({ type: 'answer', revision: reoffer.revision, sdp: answer }));
    await waitFor(() => late.midOf('s3') !== undefined, 's3 announced after the late answer');
    await waitFor(() => late.audio(late.midOf('s3')!).loudFrames >= 50, 's3 heard');
  }, 30_000);

  it('drops a malformed re-answer, keeps the session as it was, and takes a good one after', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['s0']));
    const ears = await join('ears', (offer) =>
      connectWrtcClient(offer, { listen: true, reoffers: 'ignore' }),
    );
    witness = await join('witness', (offer) => connectWeriftClient(offer));
    await seatFourSpeakers();
    await waitFor(() => ears.messages.some((m) => m.type === 'offer'), 'a re-offer');
    const reoffer = ears.messages.findLast((m): m is OfferMessage => m.type === 'offer')!;
    const good = await ears.answerReoffer(reoffer.sdp);

    const answer = (sdp: unknown, revision = reoffer.revision) =>
      ears.send(JSON.stringify({ type: 'answer', revision, sdp }));
    answer('garbage');
    answer(reoffer.sdp);
    answer(ears.answer);
    answer(good.replace(/a=setup:active/g, 'a=setup:passive'));
    answer(
      good.replace(/a=fingerprint:sha-256 \S+/g, `a=fingerprint:sha-256 ${'AB:'.repeat(31)}AB`),
    );
    answer(good, reoffer.revision + 1);
    answer(42);
    ears.send('{"type":"answer"');
    ears.send('x'.repeat(60_000));

    const s0 = ears.midOf('s0')!;
    const loud = ears.audio(s0).loudFrames;
    await waitFor(() => ears.audio(s0).loudFrames >= loud + 50, 's0 still heard');
    expect(ears.midOf('s3')).toBeUndefined();
    expect(relay.isOpen(ears.sessionId)).toBe(true);

    answer(good);
    await waitFor(() => ears.midOf('s3') !== undefined, 's3 announced after the good answer');
    await waitFor(() => ears.audio(ears.midOf('s3')!).loudFrames >= 50, 's3 heard');
  });
});
