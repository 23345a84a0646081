import { afterEach, describe, expect, it } from 'vitest';
import {
  connectWrtcClient,
  type RelayTestClient,
  waitFor,
} from '../../../tests/helpers/relay-peers.ts';
import { createRelay, type Relay } from './relay.ts';

describe('Relay.tapSpace', () => {
  let relay: Relay | undefined;
  const clients: RelayTestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await relay?.stop();
    relay = undefined;
  });

  async function speak(spaceId: string, participantId: string) {
    const { sessionId, offer } = await relay!.open(spaceId, participantId);
    const client = await connectWrtcClient(offer, { speak: true });
    clients.push(client);
    await relay!.answer(sessionId, client.answer);
  }

  it('sees the Opus frames of publishers only, until it is removed', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['speaker']));
    relay.setPublishers('other', new Set(['elsewhere']));
    const seen = new Map<string, number>();
    const timestamps: number[] = [];
    const untap = relay.tapSpace('space', (participantId, payload, rtpTimestamp) => {
      seen.set(participantId, (seen.get(participantId) ?? 0) + 1);
      if (payload.length > 0) timestamps.push(rtpTimestamp);
    });
    await speak('space', 'speaker');
    await speak('space', 'not-on-stage');
    await speak('other', 'elsewhere');

    await waitFor(() => (seen.get('speaker') ?? 0) >= 50, 'tapped packets');
    await waitFor(() => relay!.stats().droppedPackets >= 50, 'the listener’s dropped packets');
    expect([...seen.keys()]).toEqual(['speaker']);
    // Original timestamps: one 20 ms Opus frame apart at 48 kHz.
    expect(timestamps[1]! - timestamps[0]!).toBe(960);

    untap();
    const count = seen.get('speaker');
    const forwarded = relay.stats().forwardedPackets;
    await waitFor(() => relay!.stats().forwardedPackets >= forwarded + 50, 'more forwarding');
    expect(seen.get('speaker')).toBe(count);
  });
});
