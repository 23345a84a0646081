import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectLibsrtpListener,
  type LibsrtpListener,
} from '../../../tests/helpers/libsrtp-listener.ts';
import { udpSocketsOf } from '../../../tests/helpers/proc-udp-sockets.ts';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { connectRtpSpeaker, type RtpSpeaker } from '../../../tests/helpers/rtp-speaker.ts';
import { createRelay, type PipedRelay } from './relay.ts';

const LISTENERS = 20;
const PACKETS = 50;

type Peer = { readonly answer: string; close(): Promise<void> };

const candidatePorts = (sdp: string) =>
  (sdp.match(/^a=candidate:.*$/gm) ?? []).map((line) => Number(line.split(' ')[5]));

describe('the relay’s UDP port', () => {
  let relay: PipedRelay | undefined;
  const clients: Peer[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await relay?.stop();
    relay = undefined;
  });

  async function join<Client extends Peer>(
    participantId: string,
    connect: (offer: string) => Promise<Client>,
  ): Promise<{ client: Client; offer: string }> {
    const { sessionId, offer } = await relay!.open('space', participantId);
    const client = await connect(offer);
    clients.push(client);
    await relay!.answer(sessionId, client.answer);
    return { client, offer };
  }

  it('one UDP port carries many sessions, and a closed session leaves no route behind', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['speaker']));
    const joined = await Promise.all(
      Array.from({ length: LISTENERS }, (_, index) =>
        join(`listener-${index}`, connectLibsrtpListener),
      ),
    );
    const listeners: LibsrtpListener[] = joined.map(({ client }) => client);
    await waitFor(() => listeners.every((listener) => listener.isConnected()), 'listeners up');
    const speaker = await join<RtpSpeaker>('speaker', connectRtpSpeaker);
    await speaker.client.connected();

    const port = relay.udpStats()?.port;
    const offered = [...joined, speaker].map(({ offer }) => candidatePorts(offer));
    expect(offered.every((ports) => ports.length > 0)).toBe(true);
    expect(new Set(offered.flat())).toEqual(new Set([port]));
    // The listeners (libdatachannel) live in this process too, on ports of their own.
    expect(udpSocketsOf(process.pid).filter((socket) => socket.port === port)).toHaveLength(1);

    for (let sequenceNumber = 1; sequenceNumber <= PACKETS; sequenceNumber++) {
      speaker.client.send(sequenceNumber, Buffer.alloc(40, sequenceNumber));
      // Pacing only, as a microphone would.
      await sleep(5);
    }
    await waitFor(
      () => listeners.every((listener) => listener.received.length >= PACKETS - 5),
      'the speaker at every listener',
    );
    const stats = relay.udpStats();
    expect(stats).toMatchObject({ endpoints: LISTENERS + 1 });
    expect(stats?.routes).toBeGreaterThanOrEqual(LISTENERS + 1);

    const leaving = joined.slice(0, LISTENERS / 2);
    await Promise.all(leaving.map((_, index) => relay!.close('space', `listener-${index}`)));
    expect(relay.udpStats()).toMatchObject({ endpoints: LISTENERS / 2 + 1 });
    expect(relay.udpStats()?.routes).toBeLessThanOrEqual((stats?.routes ?? 0) - LISTENERS / 2);
    await Promise.all(
      joined
        .slice(LISTENERS / 2)
        .map((_, index) => relay!.close('space', `listener-${LISTENERS / 2 + index}`)),
    );
    await relay.close('space', 'speaker');
    expect(relay.udpStats()).toMatchObject({ endpoints: 0, routes: 0 });
  });
});
