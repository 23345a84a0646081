import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectLibsrtpListener,
  type LibsrtpListener,
} from '../../../tests/helpers/libsrtp-listener.ts';
import { udpSocketsOf } from '../../../tests/helpers/proc-udp-sockets.ts';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { connectRtpSpeaker } from '../../../tests/helpers/rtp-speaker.ts';
import { createRelayWorkerPool, type RelayWorkerPool } from './relay-worker-pool.ts';

const SPACE = 'space';
const LISTENERS = 8;
const PACKETS = 40;

type Peer = { readonly answer: string; close(): Promise<void> };

const candidatePorts = (sdp: string) =>
  new Set((sdp.match(/^a=candidate:.*$/gm) ?? []).map((line) => Number(line.split(' ')[5])));

describe('relay workers’ UDP ports', () => {
  let pool: RelayWorkerPool | undefined;
  const clients: Peer[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await pool?.stop();
    pool = undefined;
  });

  async function join<Client extends Peer>(
    participantId: string,
    connect: (offer: string) => Promise<Client>,
  ): Promise<{ client: Client; worker: number | undefined; ports: Set<number> }> {
    const { sessionId, offer } = await pool!.open(SPACE, participantId);
    const client = await connect(offer);
    clients.push(client);
    await pool!.answer(sessionId, client.answer);
    return { client, worker: pool!.workerOf(sessionId), ports: candidatePorts(offer) };
  }

  it('each worker carries all its sessions on one UDP socket', async () => {
    pool = createRelayWorkerPool({ workers: 2, relay: { port: 0 }, spreadAfter: 0 });
    await pool.ready();
    pool.setPublishers(SPACE, new Set(['speaker']));
    const joined: Awaited<ReturnType<typeof join<LibsrtpListener>>>[] = [];
    for (let index = 0; index < LISTENERS; index++) {
      joined.push(await join(`listener-${index}`, connectLibsrtpListener));
    }
    const speaker = await join('speaker', connectRtpSpeaker);
    await waitFor(() => joined.every(({ client }) => client.isConnected()), 'listeners up');
    await speaker.client.connected();

    const pids = pool.workerPids();
    for (const worker of [0, 1]) {
      const sessions = [...joined, speaker].filter((session) => session.worker === worker);
      const ports = new Set(sessions.flatMap((session) => [...session.ports]));
      expect(sessions.length).toBeGreaterThan(1);
      expect(ports.size).toBe(1);
      const pid = pids[worker];
      if (pid === undefined) throw new Error(`worker ${worker} has no process`);
      // Besides it, a worker holds only its loopback pipe to the other workers.
      const exposed = udpSocketsOf(pid).filter((socket) => socket.address !== '127.0.0.1');
      expect(exposed).toEqual([{ address: '0.0.0.0', port: [...ports][0] }]);
    }

    for (let sequenceNumber = 1; sequenceNumber <= PACKETS; sequenceNumber++) {
      speaker.client.send(sequenceNumber, Buffer.alloc(40, sequenceNumber));
      // Pacing only, as a microphone would.
      await sleep(5);
    }
    await waitFor(
      () => joined.every(({ client }) => client.received.length >= PACKETS - 5),
      'the speaker at every listener, on both workers',
    );
  });
});
