import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  connectLibsrtpListener,
  type LibsrtpListener,
  type ReceivedRtp,
} from '../../../tests/helpers/libsrtp-listener.ts';
import {
  closedPort,
  type RedisServer,
  startRedisServer,
} from '../../../tests/helpers/redis-server.ts';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { connectRtpSpeaker, type RtpSpeaker } from '../../../tests/helpers/rtp-speaker.ts';
import {
  createRelayWorkerPool,
  type LostSession,
  type RelayWorkerPool,
} from './relay-worker-pool.ts';

const SPACE = 'space';

type Peer = { readonly answer: string; close(): Promise<void> };

/** A payload naming the packet: speaker and sequence number. */
const tag = (speaker: number, sequenceNumber: number) =>
  Buffer.from([speaker, sequenceNumber >> 8, sequenceNumber & 0xff, ...Array(37).fill(0x5a)]);
const tagOfPayload = (payload: Buffer) => `${payload[0]}:${payload.readUInt16BE(1)}`;
const tagOf = (packet: ReceivedRtp) => tagOfPayload(packet.payload);

/** Each speaker's RFC 6464 level byte: the voice bit and -dBov. */
const levelOf = (who: number) => 0x80 | (10 * who);

async function speak(speaker: RtpSpeaker, who: number, first: number, count: number) {
  for (let sequenceNumber = first; sequenceNumber < first + count; sequenceNumber++) {
    speaker.send(sequenceNumber, tag(who, sequenceNumber), levelOf(who));
    // Pacing only, as a microphone would.
    await sleep(5);
  }
}

describe('createRelayWorkerPool', () => {
  let pool: RelayWorkerPool | undefined;
  /** Another instance's pool, for a space across instances. */
  let otherPool: RelayWorkerPool | undefined;
  let redis: RedisServer | undefined;
  const clients: Peer[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all([pool?.stop(), otherPool?.stop()]);
    await redis?.stop();
    pool = undefined;
    otherPool = undefined;
    redis = undefined;
  });

  async function join<Client extends Peer>(
    participantId: string,
    connect: (offer: string) => Promise<Client>,
    on = pool!,
  ): Promise<{ client: Client; sessionId: string }> {
    const { sessionId, offer } = await on.open(SPACE, participantId);
    const client = await connect(offer);
    clients.push(client);
    await on.answer(sessionId, client.answer);
    return { client, sessionId };
  }

  async function listener(
    name: string,
    on = pool!,
  ): Promise<{ client: LibsrtpListener; sessionId: string }> {
    const joined = await join(name, connectLibsrtpListener, on);
    await waitFor(joined.client.isConnected, `${name} connected`);
    return joined;
  }

  it('a space spanning two workers delivers every speaker to every listener exactly once', async () => {
    pool = createRelayWorkerPool({ workers: 2, relay: { port: 0 }, spreadAfter: 0 });
    await pool.ready();
    pool.setPublishers(SPACE, new Set(['ann', 'bob']));
    const tapped: string[] = [];
    const untap = pool.tapSpace(SPACE, (speaker, payload) =>
      tapped.push(`${speaker}/${tagOfPayload(payload)}`),
    );
    const listeners: { client: LibsrtpListener; sessionId: string }[] = [];
    for (const name of ['l1', 'l2', 'l3', 'l4']) listeners.push(await listener(name));
    const ann = await join('ann', connectRtpSpeaker);
    const bob = await join('bob', connectRtpSpeaker);
    await Promise.all([ann.client.connected(), bob.client.connected()]);
    // Spread at once: listeners and speakers alternate between the two workers.
    expect(new Set(listeners.map(({ sessionId }) => pool!.workerOf(sessionId)))).toEqual(
      new Set([0, 1]),
    );
    expect(pool.workerOf(ann.sessionId)).not.toBe(pool.workerOf(bob.sessionId));

    await Promise.all([speak(ann.client, 1, 100, 50), speak(bob.client, 2, 500, 50)]);
    const expected = [
      ...Array.from({ length: 50 }, (_, i) => `1:${100 + i}`),
      ...Array.from({ length: 50 }, (_, i) => `2:${500 + i}`),
    ].sort();
    for (const { client } of listeners) {
      await waitFor(() => client.received.length >= expected.length, 'every packet');
    }
    // Nothing late, duplicated or looping between the workers.
    await sleep(300);
    for (const { client } of listeners) {
      expect(client.received.map(tagOf).sort()).toEqual(expected);
      // Each speaker on a slot of its own.
      expect(new Set(client.received.map((packet) => packet.mid)).size).toBe(2);
      // Each copy carries its speaker's level, piped or not (the room shows who is speaking).
      for (const packet of client.received) {
        expect(packet.level).toBe(levelOf(packet.payload[0] ?? 0));
      }
    }
    // Captions and recordings see each packet once, from the worker that received it.
    await waitFor(() => tapped.length >= expected.length, 'every packet tapped');
    expect(tapped.sort()).toEqual(
      expected.map((name) => `${name.startsWith('1:') ? 'ann' : 'bob'}/${name}`).sort(),
    );
    untap();

    // Bob leaves the stage: every worker stops forwarding him, his piped copies included.
    pool.setPublishers(SPACE, new Set(['ann']));
    // Commands travel over IPC, packets over UDP: let the order of the script hold.
    await sleep(200);
    await Promise.all([speak(ann.client, 1, 150, 20), speak(bob.client, 2, 550, 20)]);
    for (const { client } of listeners) {
      await waitFor(() => client.received.length >= expected.length + 20, 'ann’s next packets');
    }
    await sleep(300);
    for (const { client } of listeners) {
      expect(client.received.slice(expected.length).map(tagOf)).toEqual(
        Array.from({ length: 20 }, (_, i) => `1:${150 + i}`),
      );
    }
  }, 120_000);

  it('keeps a space on one worker until it carries `spreadAfter` more sessions than another', async () => {
    pool = createRelayWorkerPool({ workers: 2, relay: { port: 0 }, spreadAfter: 2 });
    await pool.ready();
    pool.setPublishers(SPACE, new Set(['ann']));
    const first = await listener('l1');
    const second = await listener('l2');
    const third = await listener('l3');
    const ann = await join('ann', connectRtpSpeaker);
    await ann.client.connected();
    const home = pool.workerOf(first.sessionId);
    expect(pool.workerOf(second.sessionId)).toBe(home);
    // Two sessions more than the idle worker: the space spreads, and its speaker is piped there.
    expect(pool.workerOf(third.sessionId)).not.toBe(home);
    await speak(ann.client, 1, 100, 20);
    const expected = Array.from({ length: 20 }, (_, i) => `1:${100 + i}`);
    for (const { client } of [first, second, third]) {
      await waitFor(() => client.received.length >= expected.length, 'every packet');
      expect(client.received.map(tagOf)).toEqual(expected);
    }
  }, 60_000);

  it('restarts a killed worker, whose listener reopens and hears the speaker again', async () => {
    pool = createRelayWorkerPool({ workers: 2, relay: { port: 0 }, spreadAfter: 0 });
    await pool.ready();
    pool.setPublishers(SPACE, new Set(['ann']));
    const lost: LostSession[] = [];
    pool.onSessionLost((session) => lost.push(session));
    const ears = await listener('ears');
    const ann = await join('ann', connectRtpSpeaker);
    await ann.client.connected();
    const earsWorker = pool.workerOf(ears.sessionId)!;
    expect(pool.workerOf(ann.sessionId)).not.toBe(earsWorker);
    let speaking = true;
    const speech = (async () => {
      for (let sequenceNumber = 1000; speaking; sequenceNumber++) {
        ann.client.send(sequenceNumber & 0xffff, tag(1, sequenceNumber & 0xffff));
        await sleep(20);
      }
    })();
    await waitFor(() => ears.client.received.length > 0, 'audio before the crash');
    const pidBefore = pool.workerPids()[earsWorker];

    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    process.kill(pidBefore!, 'SIGKILL');
    // The API learns of it (and `isOpen` says so), as a client reopening its session would.
    await waitFor(() => lost.length === 1, 'the lost session', 5_000);
    // The operator reads which worker ended, how, and what it cost.
    expect(logged.mock.calls.map(([line]) => String(line))).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Relay worker local:${earsWorker} ended \\(killed by SIGKILL\\); sessions lost: 1; restarting in \\d+ ms$`,
        ),
      ),
    );
    logged.mockRestore();
    expect(lost[0]).toMatchObject({ sessionId: ears.sessionId, participantId: 'ears' });
    expect(pool.isOpen(ears.sessionId)).toBe(false);
    expect(pool.isOpen(ann.sessionId)).toBe(true);
    // The client reopens at once, on a worker that runs, and hears the speaker again.
    const back = await listener('ears');
    await waitFor(() => back.client.received.length > 0, 'audio after the crash', 5_000);
    expect(pool.stats().sessions).toBe(2);
    // The killed worker comes back and takes sessions again.
    await waitFor(() => pool!.workerPids()[earsWorker] !== undefined, 'the restarted worker');
    expect(pool.workerPids()[earsWorker]).not.toBe(pidBefore);
    const late = await listener('late');
    expect(pool.workerOf(late.sessionId)).toBe(earsWorker);
    await waitFor(() => late.client.received.length > 0, 'audio on the restarted worker');
    speaking = false;
    await speech;
  }, 120_000);

  it('joins the pools of other instances once Redis is up, its workers re-keyed with their sessions', async () => {
    const port = await closedPort();
    const federation = { redisUrl: `redis://127.0.0.1:${port}`, prefix: `test:${randomUUID()}:` };
    pool = createRelayWorkerPool({ workers: 2, relay: { port: 0 }, spreadAfter: 0, federation });
    await pool.ready();
    pool.setPublishers(SPACE, new Set(['ann']));
    const near = await listener('near');
    const ann = await join('ann', connectRtpSpeaker);
    await ann.client.connected();
    expect(pool.workerOf(ann.sessionId)).not.toBe(pool.workerOf(near.sessionId));
    let speaking = true;
    const speech = (async () => {
      for (let sequenceNumber = 1000; speaking; sequenceNumber++) {
        ann.client.send(sequenceNumber & 0xffff, tag(1, sequenceNumber & 0xffff));
        await sleep(20);
      }
    })();
    try {
      await waitFor(() => near.client.received.length > 0, 'audio piped within the pool alone');
      redis = await startRedisServer(port);
      otherPool = createRelayWorkerPool({ workers: 1, relay: { port: 0 }, federation });
      await otherPool.ready();
      otherPool.setPublishers(SPACE, new Set(['ann']));
      const far = await listener('far', otherPool);
      await waitFor(() => far.client.received.length > 0, 'audio on the other instance', 20_000);
      // Both workers of the pool took up the common key: the pipe between them still carries.
      const heard = near.client.received.length;
      await waitFor(() => near.client.received.length > heard + 10, 'audio piped within the pool');
    } finally {
      speaking = false;
      await speech;
    }
  }, 60_000);
});
