import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { udpSocketsPerTest } from '../../../tests/helpers/udp-sockets.ts';
import { nativeSrtpProblem } from '../relay/native-srtp.ts';
import { createPipeKey, createPipeOpener, type OpenedDatagram } from './pipe-seal.ts';
import { createPipeSender, type PipeSender } from './pipe-sender.ts';
import { createPipeSocket } from './pipe-socket.ts';

const boundSocket = udpSocketsPerTest();
const body = (n: number) => Buffer.from(`piped packet ${n}`);
const senders: PipeSender[] = [];
const pipes: Socket[] = [];

afterEach(() => {
  for (const sender of senders.splice(0)) sender.close();
  for (const pipe of pipes.splice(0)) pipe.close();
});

async function boundSender(key: Uint8Array, senderId: number) {
  const pipe = createPipeSocket('127.0.0.1');
  pipes.push(pipe.socket);
  await new Promise<void>((resolve) => pipe.socket.bind(0, pipe.bindAddress, resolve));
  const sender = createPipeSender(pipe, key, senderId);
  senders.push(sender);
  sender.bound();
  return sender;
}

/** A worker's pipe socket at the other end: what it opens, in arrival order. */
async function receiver(key: Uint8Array) {
  const socket = await boundSocket();
  const open = createPipeOpener(key);
  const opened: (OpenedDatagram | undefined)[] = [];
  socket.on('message', (datagram) => opened.push(open(datagram)));
  return { port: socket.address().port, opened };
}

describe("a relay worker's pipe sender", () => {
  it('seals and sends natively to an IP address where the addon is built', async () => {
    if (process.env['AMPHI_REQUIRE_NATIVE_SRTP']) expect(nativeSrtpProblem).toBeUndefined();
    const key = createPipeKey();
    const sender = await boundSender(key, 5);
    expect(sender.native).toBe(nativeSrtpProblem === undefined);
    const to = await receiver(key);
    const target = { host: '127.0.0.1', port: to.port };
    for (const n of [1, 2, 3]) sender.send(body(n), target);
    await waitFor(() => to.opened.length === 3, 'three datagrams', 5_000);
    expect(to.opened).toEqual([1, 2, 3].map((n) => ({ senderId: 5, body: body(n) })));
  });

  it('counts one nonce sequence whichever way a datagram leaves, so none is dropped as a replay', async () => {
    const key = createPipeKey();
    const sender = await boundSender(key, 6);
    const to = await receiver(key);
    // A host name goes through node:dgram (which resolves it), an IP address natively.
    const byName = { host: 'localhost', port: to.port };
    const byAddress = { host: '127.0.0.1', port: to.port };
    sender.send(body(1), byName);
    await waitFor(() => to.opened.length === 1, 'the first datagram', 5_000);
    sender.send(body(2), byAddress);
    await waitFor(() => to.opened.length === 2, 'the second datagram', 5_000);
    sender.send(body(3), byName);
    await waitFor(() => to.opened.length === 3, 'the third datagram', 5_000);
    expect(to.opened).toEqual([1, 2, 3].map((n) => ({ senderId: 6, body: body(n) })));
  });
});
