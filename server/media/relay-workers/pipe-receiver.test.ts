import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { udpSocketsPerTest } from '../../../tests/helpers/udp-sockets.ts';
import { nativeSrtpProblem } from '../relay/native-srtp.ts';
import { createPipeReceiver, MAX_PIPE_DATAGRAM, type PipeReceiver } from './pipe-receiver.ts';
import { createPipeKey, createPipeSealer } from './pipe-seal.ts';
import { createPipeSocket, type PipeSocket } from './pipe-socket.ts';

const boundSocket = udpSocketsPerTest();
const body = (n: number) => Buffer.from(`piped packet ${n}`);
const receivers: PipeReceiver[] = [];
const pipes: PipeSocket[] = [];

afterEach(() => {
  for (const receiver of receivers.splice(0)) receiver.close();
  for (const pipe of pipes.splice(0)) pipe.socket.close();
});

type Heard = { senderId: number; body: Buffer };

/** A worker's pipe socket, bound, and what its receiver hands on, in arrival order. */
async function boundReceiver(key: Uint8Array) {
  const pipe = createPipeSocket('127.0.0.1');
  pipes.push(pipe);
  const heard: Heard[] = [];
  // Copied: a test must see what was handed on, whatever the receiver does with its buffers.
  const receiver = createPipeReceiver(pipe, key, (senderId, bytes) =>
    heard.push({ senderId, body: Buffer.from(bytes) }),
  );
  receivers.push(receiver);
  await new Promise<void>((resolve) => pipe.socket.bind(0, pipe.bindAddress, resolve));
  receiver.bound();
  return { receiver, heard, port: pipe.socket.address().port };
}

async function sendFrom(port: number, datagrams: readonly Buffer[]) {
  const socket = await boundSocket();
  for (const datagram of datagrams) socket.send(datagram, port, '127.0.0.1');
}

function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

describe("a relay worker's pipe receiver", () => {
  it('reads the pipe socket natively where the addon is built and hands on each body once', async () => {
    if (process.env['AMPHI_REQUIRE_NATIVE_SRTP']) expect(nativeSrtpProblem).toBeUndefined();
    const key = createPipeKey();
    const { receiver, heard, port } = await boundReceiver(key);
    expect(receiver.native).toBe(nativeSrtpProblem === undefined);
    const seal = createPipeSealer(key, 7);
    await sendFrom(
      port,
      [1, 2, 3].map((n) => seal(body(n))),
    );
    await waitFor(() => heard.length === 3, 'three datagrams', 5_000);
    expect(heard).toEqual([1, 2, 3].map((n) => ({ senderId: 7, body: body(n) })));
    expect(receiver.stats()).toEqual({ received: 3, forged: 0, replayed: 0, oversized: 0 });
  });

  it('drops and counts replayed, forged, foreign, short and oversized datagrams, and keeps receiving', async () => {
    const key = createPipeKey();
    const { receiver, heard, port } = await boundReceiver(key);
    const seal = createPipeSealer(key, 8);
    const first = seal(body(1));
    const altered = seal(body(2));
    altered[altered.length - 20] = (altered[altered.length - 20] ?? 0) ^ 1;
    const foreign = createPipeSealer(createPipeKey(), 9)(body(3));
    const oversized = seal(Buffer.alloc(MAX_PIPE_DATAGRAM, 1));
    await sendFrom(port, [first, first, altered, foreign, Buffer.alloc(10), oversized]);
    await waitFor(
      () => Object.values(receiver.stats()).reduce((sum, count) => sum + count, 0) === 6,
      'six datagrams counted',
      5_000,
    );
    expect(receiver.stats()).toEqual({ received: 1, forged: 3, replayed: 1, oversized: 1 });
    await sendFrom(port, [seal(body(4))]);
    await waitFor(() => heard.length === 2, 'the next datagram', 5_000);
    expect(heard).toEqual([1, 4].map((n) => ({ senderId: 8, body: body(n) })));
  });

  it('leaves no descriptor open once it and its socket are closed', async () => {
    const before = openDescriptors();
    const { receiver } = await boundReceiver(createPipeKey());
    const open = openDescriptors();
    receiver.close();
    for (const pipe of pipes.splice(0)) await new Promise<void>((done) => pipe.socket.close(done));
    // The socket, and the addon's own duplicate of it where the addon reads it.
    expect(open - before).toBe(receiver.native ? 2 : 1);
    expect(openDescriptors()).toBe(before);
  });
});
