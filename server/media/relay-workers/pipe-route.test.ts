import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { plainNativeSender } from '../../../tests/helpers/plain-native-sender.ts';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { udpSocketsPerTest } from '../../../tests/helpers/udp-sockets.ts';
import { nativeSrtp } from '../relay/native-srtp.ts';
import type { OutgoingRtp } from '../relay/outgoing-rtp.ts';
import { createPipeMember } from '../relay/pipe-member.ts';
import { createSlotStream } from '../relay/slot-stream.ts';
import { createSpace, type SpaceMember } from '../relay/space.ts';
import { decodePipedPacket, encodePipedPacket, pipedPublisherKey } from './pipe-datagram.ts';
import { createPipeReceiver, type PipeReceiver } from './pipe-receiver.ts';
import { createPipeKey, createPipeSealer } from './pipe-seal.ts';
import { createPipeSocket, type PipeSocket } from './pipe-socket.ts';

const boundSocket = udpSocketsPerTest();
const receivers: PipeReceiver[] = [];
const pipes: PipeSocket[] = [];

afterEach(() => {
  for (const receiver of receivers.splice(0)) receiver.close();
  for (const pipe of pipes.splice(0)) pipe.socket.close();
});

const SPACE = 'space-1';
const LEVEL = Buffer.from([0x85]);

/** A listener whose copies go natively (unprotected) to a socket of its own: what it hears. */
async function listener(participantId: string) {
  const { sender, datagrams } = await plainNativeSender(boundSocket, 1);
  return {
    participantId,
    slotMids: ['0'],
    get heard() {
      return datagrams.map((datagram) => ({
        sequenceNumber: datagram.readUInt16BE(2),
        timestamp: datagram.readUInt32BE(4),
        // The one-byte header extension's element, when the copy carries it.
        level: datagram[0] === 0x90 ? datagram[17] : undefined,
      }));
    },
    needSlots() {},
    send() {},
    forward(_slot: number, packet: OutgoingRtp) {
      packet.nativeBatch.senders[packet.nativeBatch.count++] = sender;
      return true;
    },
    credit() {},
  } satisfies SpaceMember & Record<string, unknown>;
}

/**
 * A relay worker's receiving side as relay-worker-runtime.ts wires it: each packet JavaScript
 * sees goes to the space, which may then let the addon forward the publisher's next ones.
 */
async function receivingWorker(key: Uint8Array) {
  const publishers = new Set(['ann']);
  const counters = { forwardedPackets: 0, droppedPackets: 0 };
  const space = createSpace<SpaceMember>({
    slots: 1,
    counters,
    isPublisher: (participantId) => publishers.has(participantId),
  });
  const listeners = [await listener('l1'), await listener('l2')];
  for (const member of listeners) space.join(member);
  const piped = createPipeMember(SPACE, 'ann');
  space.join(piped);
  const pipe = createPipeSocket('127.0.0.1');
  pipes.push(pipe);
  let inJavaScript = 0;
  const receiver = createPipeReceiver(pipe, key, (senderId, body) => {
    inJavaScript++;
    const decoded = decodePipedPacket(body)!;
    space.receive(piped, decoded.packet, decoded.levelPayload);
    const route = space.routeFor(piped);
    const publisher = pipedPublisherKey(body);
    if (route && publisher) receiver.route(senderId, publisher, route);
  });
  receivers.push(receiver);
  await new Promise<void>((resolve) => pipe.socket.bind(0, pipe.bindAddress, resolve));
  receiver.bound();
  return {
    space,
    publishers,
    counters,
    listeners,
    port: pipe.socket.address().port,
    inJavaScript: () => inJavaScript,
  };
}

/** A packet as the publisher sent it: `at` is its sequence number, extended past the wrap. */
type Sent = { at: number; ssrc: number };

describe.runIf(nativeSrtp)('piped packets forwarded by the addon', () => {
  it('are numbered as JavaScript numbers them, whatever the publisher sends, and only the steady ones skip JavaScript', async () => {
    const key = createPipeKey();
    const worker = await receivingWorker(key);
    const seal = createPipeSealer(key, 7);
    const socket = await boundSocket();
    const pipeOut = (sent: Sent) => {
      const body = encodePipedPacket({
        spaceId: SPACE,
        participantId: 'ann',
        levelPayload: LEVEL,
        packet: {
          header: {
            marker: false,
            sequenceNumber: sent.at & 0xffff,
            timestamp: (sent.at * 960) >>> 0,
            ssrc: sent.ssrc,
          },
          payload: Buffer.alloc(60, sent.at & 0xff),
        },
      });
      socket.send(seal(body), worker.port, '127.0.0.1');
    };
    const steady = (first: number, count: number, ssrc = 1) =>
      Array.from({ length: count }, (_, i) => ({ at: first + i, ssrc }));
    const wrap = 65_536;
    const script: Sent[][] = [
      steady(65_500, 60), // across the sequence wrap
      steady(wrap + 23, 1), // a repeat
      steady(wrap + 10, 1), // a replay of one sent
      steady(wrap + 26, 1), // two lost
      steady(wrap + 25, 1), // one of them, late
      steady(wrap + 27, 30),
      steady(9_000, 1), // a far jump, unconfirmed
      steady(wrap + 57, 10),
      steady(500, 30, 2), // a new SSRC: a restart
    ];
    // JavaScript's own numbering of the same packets: what every listener must hear.
    const reference = createSlotStream();
    const expected: number[] = [];
    for (const step of script) {
      for (const sent of step) {
        const position = reference.place('ann', sent.ssrc, sent.at & 0xffff, 0);
        if (position) expected.push(position.sequenceNumber);
        pipeOut(sent);
        // Paced, as a speaker is: each packet its own batch.
        await sleep(2);
      }
    }
    for (const listener of worker.listeners) {
      await waitFor(() => listener.heard.length >= expected.length, 'every packet', 5_000);
    }
    await sleep(100);
    for (const { heard } of worker.listeners) {
      expect(heard.map(({ sequenceNumber }) => sequenceNumber)).toEqual(expected);
      expect(new Set(heard.map(({ level }) => level))).toEqual(new Set([LEVEL[0]]));
    }
    // Timestamps move with the sequence within a stream (960 a packet).
    const heard = worker.listeners[0]!.heard;
    const steps = heard.slice(1, 60).map((copy, i) => copy.timestamp - heard[i]!.timestamp);
    expect(new Set(steps)).toEqual(new Set([960]));
    // Most packets never entered JavaScript: a walk every 25, and the odd ones.
    const sentCount = script.flat().length;
    expect(worker.inJavaScript()).toBeLessThan(sentCount / 4);
    worker.space.countForwarded();
    expect(worker.counters.forwardedPackets).toBe(2 * expected.length);

    // Off the stage: not one more copy, however the addon was armed.
    worker.publishers.clear();
    worker.space.restrictTo(worker.publishers);
    for (const sent of steady(530, 10, 2)) {
      pipeOut(sent);
      await sleep(2);
    }
    await sleep(200);
    for (const { heard } of worker.listeners) expect(heard).toHaveLength(expected.length);
  });
});
