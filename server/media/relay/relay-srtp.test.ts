import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectLibsrtpListener,
  type LibsrtpListener,
  type ReceivedRtp,
} from '../../../tests/helpers/libsrtp-listener.ts';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { connectRtpSpeaker, type RtpSpeaker } from '../../../tests/helpers/rtp-speaker.ts';
import { createRelay, type Relay } from './relay.ts';

type Peer = { readonly answer: string; close(): Promise<void> };

/** Consecutive sequence numbers from `first`, wrapping. */
const run = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => (first + i) & 0xffff);

/**
 * What a hostile speaker sends: gaps, repeats, reordering, a jump across the sequence wrap, a
 * replay, a restart far away (confirmed by the packets after it) and a repeated run. The unit
 * tests (slot-stream, native-srtp, srtp-protect) cover the step-by-step wrap.
 */
const HOSTILE = [
  ...run(64_000, 20),
  ...run(65_500, 10),
  ...[65_505, 65_509, 65_509],
  ...[65_511, 65_510, 65_512],
  ...run(1_000, 20),
  65_490,
  ...run(1_020, 5),
  ...run(40_000, 20),
  ...run(40_010, 6),
  ...run(40_020, 5),
];
const AFTER_LATE_LISTENER = run(40_025, 40);
const SECOND_SPEAKER = run(100, 50);

/** A payload naming the packet: speaker and sequence number (a repeat carries the same). */
const tag = (speaker: number, sequenceNumber: number) =>
  Buffer.from([speaker, sequenceNumber >> 8, sequenceNumber & 0xff, ...Array(37).fill(0x5a)]);
const tagOf = (packet: ReceivedRtp) => `${packet.payload[0]}:${packet.payload.readUInt16BE(1)}`;

async function speak(speaker: RtpSpeaker, who: number, sequenceNumbers: readonly number[]) {
  for (const sequenceNumber of sequenceNumbers) {
    speaker.send(sequenceNumber, tag(who, sequenceNumber));
    // Pacing only, so the script arrives in the order it was written.
    await sleep(2);
  }
}

/** Each packet's index as libsrtp's receiver extends it (RFC 3711 §3.3.1), per SSRC. */
function indicesOf(packets: readonly ReceivedRtp[]): string[] {
  const newest = new Map<number, number>();
  return packets.map(({ ssrc, sequenceNumber }) => {
    const previous = newest.get(ssrc);
    const delta = previous === undefined ? 0 : (((sequenceNumber - previous) & 0xffff) << 16) >> 16;
    const index = previous === undefined ? sequenceNumber : previous + delta;
    newest.set(ssrc, Math.max(index, previous ?? index));
    return `${ssrc}:${index}`;
  });
}

describe('the relay’s SRTP towards libsrtp receivers', () => {
  let relay: Relay | undefined;
  const clients: Peer[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await relay?.stop();
    relay = undefined;
  });

  async function join<Client extends Peer>(
    participantId: string,
    connect: (offer: string) => Promise<Client>,
  ): Promise<Client> {
    const { sessionId, offer } = await relay!.open('space', participantId);
    const client = await connect(offer);
    clients.push(client);
    await relay!.answer(sessionId, client.answer);
    return client;
  }

  async function listener(name: string): Promise<LibsrtpListener> {
    const client = await join(name, connectLibsrtpListener);
    await waitFor(client.isConnected, `${name} connected`);
    return client;
  }

  it('delivers every packet decryptable, never an index twice, from a hostile speaker and across a speaker change', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['ann']));
    const early = [await listener('first'), await listener('second')];
    const ann = await join('ann', connectRtpSpeaker);
    await ann.connected();

    await speak(ann, 1, HOSTILE);
    const late = await listener('late');
    const everyone = [...early, late];
    await speak(ann, 1, AFTER_LATE_LISTENER);
    const annLast = tag(1, AFTER_LATE_LISTENER.at(-1)!).toString('hex');
    for (const ears of everyone) {
      await waitFor(
        () => ears.received.some((packet) => packet.payload.toString('hex') === annLast),
        'the end of ann’s stream',
      );
    }

    // Ann leaves the stage and the call; Bob takes her slot.
    relay.setPublishers('space', new Set(['bob']));
    await relay.close('space', 'ann');
    const bob = await join('bob', connectRtpSpeaker);
    await bob.connected();
    await speak(bob, 2, SECOND_SPEAKER);
    const bobLast = tag(2, SECOND_SPEAKER.at(-1)!).toString('hex');
    for (const ears of everyone) {
      await waitFor(
        () => ears.received.some((packet) => packet.payload.toString('hex') === bobLast),
        'the end of bob’s stream',
      );
    }

    // Every copy the relay sent was decrypted and accepted by libsrtp: a wrong roll-over counter
    // fails authentication and a reused index is refused as a replay, so either would be missing.
    const received = everyone.map((ears) => ears.received.length);
    expect(received.reduce((sum, count) => sum + count, 0)).toBe(relay.stats().forwardedPackets);
    for (const ears of everyone) {
      const indices = indicesOf(ears.received);
      expect(new Set(indices).size).toBe(indices.length);
      const tags = ears.received.map(tagOf);
      expect(new Set(tags).size).toBe(tags.length);
      // One slot, one SSRC: the new speaker continues where the old one stopped.
      expect(new Set(ears.received.map((packet) => packet.mid)).size).toBe(1);
      const firstOfBob = ears.received.findIndex((packet) => packet.payload[0] === 2);
      const [lastOfAnn, nextOfBob] = ears.received.slice(firstOfBob - 1, firstOfBob + 1);
      expect(nextOfBob?.sequenceNumber).toBe(((lastOfAnn?.sequenceNumber ?? 0) + 1) & 0xffff);
      expect(tags.filter((name) => name.startsWith('2:'))).toHaveLength(SECOND_SPEAKER.length);
    }
    // Audio went on across the jump over the wrap and the restart.
    for (const sequenceNumber of [1_010, 40_005]) {
      expect(early[0]!.received.map(tagOf)).toContain(`1:${sequenceNumber}`);
    }
    expect(late.received.map(tagOf)).toContain(`1:${AFTER_LATE_LISTENER[0]}`);
  });
});
