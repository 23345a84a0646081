import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift';
import {
  connectLibsrtpListener,
  type LibsrtpListener,
  type ReceivedRtp,
} from '../../../tests/helpers/libsrtp-listener.ts';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import {
  freeUdpPort,
  type RemoteRelayWorkerProcess,
  startRemoteRelayWorker,
  testRedisUrlForRelay,
} from '../../../tests/helpers/remote-relay-worker.ts';
import { connectRtpSpeaker, type RtpSpeaker } from '../../../tests/helpers/rtp-speaker.ts';
import { encodePipedPacket } from './pipe-datagram.ts';
import { createPipeKey, createPipeSealer } from './pipe-seal.ts';
import {
  createRelayWorkerPool,
  type LostSession,
  type RelayWorkerPool,
} from './relay-worker-pool.ts';

const SPACE = 'space';
const prefixes: string[] = [];

type Peer = { readonly answer: string; close(): Promise<void> };

/** A payload naming the packet: speaker and sequence number. */
const tag = (speaker: number, sequenceNumber: number) =>
  Buffer.from([speaker, sequenceNumber >> 8, sequenceNumber & 0xff, ...Array(37).fill(0x5a)]);
const tagOf = (packet: ReceivedRtp) => `${packet.payload[0]}:${packet.payload.readUInt16BE(1)}`;

async function speak(speaker: RtpSpeaker, who: number, first: number, count: number) {
  for (let sequenceNumber = first; sequenceNumber < first + count; sequenceNumber++) {
    speaker.send(sequenceNumber, tag(who, sequenceNumber));
    // Pacing only, as a microphone would.
    await sleep(5);
  }
}

/** What anyone on the internet can send a pipe port: piped packets claiming to be `ann`'s. */
function forgedDatagrams(): Buffer[] {
  const body = (sequenceNumber: number) =>
    encodePipedPacket({
      spaceId: SPACE,
      participantId: 'ann',
      levelPayload: undefined,
      packet: new RtpPacket(
        new RtpHeader({
          payloadType: 111,
          sequenceNumber,
          timestamp: sequenceNumber * 960,
          ssrc: 9,
        }),
        tag(9, sequenceNumber),
      ),
    });
  const strangerKey = createPipeKey();
  return Array.from({ length: 20 }, (_, i) => [
    // The unsealed format, as pipes were before they were sealed.
    body(2000 + i),
    // Sealed, under a key that is not the pool's, with the sender ids a pool gives first.
    ...[1, 2, 3].map((senderId) => createPipeSealer(strangerKey, senderId)(body(3000 + i))),
    // Longer than any piped packet.
    Buffer.alloc(3000, i),
  ]).flat();
}

describe('relay workers on another host (through Redis)', () => {
  let pool: RelayWorkerPool | undefined;
  let remote: RemoteRelayWorkerProcess | undefined;
  const clients: Peer[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await pool?.stop();
    pool = undefined;
    await remote?.stop();
    remote = undefined;
  });

  afterAll(async () => {
    const redis = new Redis(testRedisUrlForRelay);
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  });

  async function join<Client extends Peer>(
    participantId: string,
    connect: (offer: string) => Promise<Client>,
  ): Promise<{ client: Client; sessionId: string }> {
    const { sessionId, offer } = await pool!.open(SPACE, participantId);
    const client = await connect(offer);
    clients.push(client);
    await pool!.answer(sessionId, client.answer);
    return { client, sessionId };
  }

  async function listener(name: string): Promise<{ client: LibsrtpListener; sessionId: string }> {
    const joined = await join(name, connectLibsrtpListener);
    await waitFor(joined.client.isConnected, `${name} connected`);
    return joined;
  }

  /** The API with one local worker, and a worker process registered as another host would be. */
  async function twoHosts(): Promise<{
    localPipe: number;
    remotePipe: number;
    remoteId: string;
    prefix: string;
  }> {
    const [localPipe, remotePipe] = [await freeUdpPort(), await freeUdpPort()];
    const remoteId = `other-host-${randomUUID().slice(0, 8)}`;
    // Keys and channels of their own in the shared Redis, so tests and parallel runs never meet.
    const prefix = `test:remote-relay:${randomUUID()}:`;
    prefixes.push(prefix);
    remote = await startRemoteRelayWorker({
      RELAY_REDIS_PREFIX: prefix,
      RELAY_WORKER_ID: remoteId,
      RELAY_PIPE_PORT: String(remotePipe),
    });
    pool = createRelayWorkerPool({
      workers: 1,
      relay: { port: 0 },
      pipe: { bindAddress: '127.0.0.1', host: '127.0.0.1', port: localPipe },
      remote: { redisUrl: testRedisUrlForRelay, prefix },
      spreadAfter: 0,
    });
    await pool.ready();
    await waitFor(() => pool!.remoteWorkerIds().includes(remoteId), 'the remote worker leased');
    return { localPipe, remotePipe, remoteId, prefix };
  }

  it('a space over a local and a remote worker delivers every speaker to every listener exactly once; forged pipe datagrams are dropped and counted', async () => {
    const { localPipe, remotePipe, remoteId } = await twoHosts();
    pool!.setPublishers(SPACE, new Set(['ann', 'bob']));
    const listeners: { client: LibsrtpListener; sessionId: string }[] = [];
    for (const name of ['l1', 'l2', 'l3', 'l4']) listeners.push(await listener(name));
    const ann = await join('ann', connectRtpSpeaker);
    const bob = await join('bob', connectRtpSpeaker);
    await Promise.all([ann.client.connected(), bob.client.connected()]);
    // Least loaded placement spreads the space over both hosts, and the speakers apart.
    expect(new Set(listeners.map(({ sessionId }) => pool!.placeOf(sessionId)))).toEqual(
      new Set(['local:0', `remote:${remoteId}`]),
    );
    expect(pool!.placeOf(ann.sessionId)).not.toBe(pool!.placeOf(bob.sessionId));

    const attacker = createSocket('udp4');
    const forged = forgedDatagrams();
    const attack = (async () => {
      for (const datagram of forged) {
        for (const port of [localPipe, remotePipe]) attacker.send(datagram, port, '127.0.0.1');
        await sleep(2);
      }
    })();
    await Promise.all([speak(ann.client, 1, 100, 50), speak(bob.client, 2, 500, 50), attack]);
    const expected = [
      ...Array.from({ length: 50 }, (_, i) => `1:${100 + i}`),
      ...Array.from({ length: 50 }, (_, i) => `2:${500 + i}`),
    ].sort();
    for (const { client } of listeners) {
      await waitFor(() => client.received.length >= expected.length, 'every packet', 15_000);
    }
    // Nothing late, duplicated, looping between the hosts, or forged.
    await sleep(300);
    attacker.close();
    for (const { client } of listeners) {
      expect(client.received.map(tagOf).sort()).toEqual(expected);
    }
    // The local worker's drops, as it reports them (every 500 ms): at least the forged datagrams.
    await waitFor(
      () => pool!.stats().droppedPackets >= forged.length,
      'the forged datagrams counted as dropped',
      5_000,
    );
  }, 120_000);

  it('a remote worker that vanishes: its listeners are reported lost, reopen on a worker that runs and hear the speaker', async () => {
    const { remoteId } = await twoHosts();
    pool!.setPublishers(SPACE, new Set(['ann']));
    const lost: LostSession[] = [];
    pool!.onSessionLost((session) => lost.push(session));
    const near = await listener('near');
    const far = await listener('far');
    const ann = await join('ann', connectRtpSpeaker);
    await ann.client.connected();
    expect(pool!.placeOf(far.sessionId)).toBe(`remote:${remoteId}`);
    let speaking = true;
    const speech = (async () => {
      for (let sequenceNumber = 1000; speaking; sequenceNumber++) {
        ann.client.send(sequenceNumber & 0xffff, tag(1, sequenceNumber & 0xffff));
        await sleep(20);
      }
    })();
    await waitFor(() => far.client.received.length > 0, 'audio on the remote host');

    await remote!.kill();
    // The registration expires and the API tells the lost session's client to reconnect.
    await waitFor(() => lost.some((session) => session.sessionId === far.sessionId), 'lost', 5_000);
    expect(pool!.isOpen(far.sessionId)).toBe(false);
    expect(pool!.isOpen(near.sessionId)).toBe(true);
    expect(pool!.remoteWorkerIds()).toEqual([]);
    const back = await listener('far');
    expect(pool!.placeOf(back.sessionId)).toBe('local:0');
    await waitFor(() => back.client.received.length > 0, 'audio after the host vanished', 5_000);
    speaking = false;
    await speech;
  }, 120_000);

  it('a remote worker restarted under the same id is a new worker: its old sessions are lost, new ones land on it', async () => {
    const { remoteId, remotePipe, prefix } = await twoHosts();
    pool!.setPublishers(SPACE, new Set(['ann']));
    const lost: LostSession[] = [];
    pool!.onSessionLost((session) => lost.push(session));
    await listener('near');
    const far = await listener('far');
    expect(pool!.placeOf(far.sessionId)).toBe(`remote:${remoteId}`);

    // Back before its registration expired, as a supervisor restarts a crashed process.
    await remote!.kill();
    remote = await startRemoteRelayWorker({
      RELAY_REDIS_PREFIX: prefix,
      RELAY_WORKER_ID: remoteId,
      RELAY_PIPE_PORT: String(remotePipe),
      RELAY_WORKER_EXPIRY_MS: '60000',
    });
    await waitFor(() => lost.some((session) => session.sessionId === far.sessionId), 'lost', 5_000);
    await waitFor(() => pool!.remoteWorkerIds().includes(remoteId), 'the new run leased', 10_000);
    const late = await listener('late');
    expect(pool!.placeOf(late.sessionId)).toBe(`remote:${remoteId}`);
    const ann = await join('ann', connectRtpSpeaker);
    await ann.client.connected();
    await speak(ann.client, 1, 1, 30);
    await waitFor(() => late.client.received.length >= 25, 'the speaker on the new run');
  }, 120_000);
});
