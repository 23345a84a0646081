import { describe, expect, it } from 'vitest';
import { connectWrtcClient, waitFor } from '../../../tests/helpers/relay-peers.ts';
import { createRelay } from './relay.ts';

const CYCLES = 100;
const BATCH = 10;

/** Node's active handles and requests by kind, e.g. { UDPWrap: 2, Timeout: 1 }. */
function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** Kinds of which more are active now than in `before`, with how many more. */
function excess(before: Record<string, number>): Record<string, number> {
  const more: Record<string, number> = {};
  for (const [kind, count] of Object.entries(activeResources())) {
    if (count > (before[kind] ?? 0)) more[kind] = count - (before[kind] ?? 0);
  }
  return more;
}

describe('createRelay cleanup', () => {
  it(`leaves no session, socket or timer behind after ${CYCLES} open/answer/close cycles`, async () => {
    const relay = createRelay({ port: 0 });
    relay.setPublishers(
      'space',
      new Set(Array.from({ length: CYCLES }, (_, index) => `participant-${index}`)),
    );
    const before = activeResources();
    let peakSockets = 0;

    async function cycle(index: number): Promise<void> {
      const participantId = `participant-${index}`;
      // Every other participant speaks, so slots, forwarding and level reports are exercised too.
      const speak = index % 2 === 0;
      const { sessionId, offer } = await relay.open('space', participantId);
      const client = await connectWrtcClient(offer, { speak });
      try {
        await relay.answer(sessionId, client.answer);
        await waitFor(
          () => (speak ? client.midOf(participantId) : client.slots()) !== undefined,
          speak ? 'a slot' : 'the data channel',
        );
        peakSockets = Math.max(peakSockets, excess(before)['UDPWrap'] ?? 0);
      } finally {
        await relay.close('space', participantId);
        await client.close();
      }
    }

    for (let start = 0; start < CYCLES; start += BATCH) {
      await Promise.all(Array.from({ length: BATCH }, (_, offset) => cycle(start + offset)));
    }

    // Every session shares the relay's one socket, bound before `before` was taken.
    expect(peakSockets).toBe(0);
    expect(relay.stats().forwardedPackets).toBeGreaterThan(0);
    expect(relay.stats().sessions).toBe(0);
    // Some handles end shortly after close() resolves: a UDP handle needs one more loop turn, and
    // werift's DTLS flight retransmit wait (Flight.transmit in werift/lib/dtls/src/flight/
    // flight.js, an uncancellable 500 ms timers/promises sleep) outlives the connection.
    const settled = () => Object.keys(excess(before)).length === 0;
    await waitFor(settled, 'resources to settle', 10_000).catch(() => undefined);
    expect(excess(before)).toEqual({});
    await relay.stop();
  });
});
