import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { classes, Message, methods } from 'werift';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { createUdpMux, type MuxAddress, type UdpMux, type UdpMuxEndpoint } from './udp-mux.ts';

const LOOPBACK = '127.0.0.1';

function bindingRequest(ufrag: string, password: string): Buffer {
  const message = new Message(methods.BINDING, classes.REQUEST).setAttribute(
    'USERNAME',
    `${ufrag}:peer`,
  );
  message.addMessageIntegrity(Buffer.from(password, 'utf8'));
  message.addFingerprint();
  return message.bytes;
}

/** A remote peer: its own socket, and what it received. */
async function remotePeer(): Promise<{ socket: Socket; port: number; received: Buffer[] }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (data) => received.push(data));
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  return { socket, port: socket.address().port, received };
}

/** An endpoint and the datagrams routed to it, with their source. */
function attach(mux: UdpMux, password: string) {
  const endpoint: UdpMuxEndpoint = mux.attach(password);
  const received: { data: string; from: MuxAddress }[] = [];
  endpoint.onData = (data, from) => received.push({ data: data.toString('latin1'), from });
  endpoint.onCheck = (request, from) =>
    received.push({ data: `check ${request.localUfrag}`, from });
  return { endpoint, received };
}

const DTLS = (text: string) => Buffer.from(`\u0016${text}`, 'latin1');

describe('createUdpMux', () => {
  let mux: UdpMux | undefined;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await mux?.close();
    mux = undefined;
  });

  async function peer() {
    const made = await remotePeer();
    sockets.push(made.socket);
    return made;
  }

  it('routes a check by ufrag once its integrity holds, then that address’s other datagrams', async () => {
    mux = await createUdpMux(0);
    const ann = attach(mux, 'password-of-ann-22chars');
    const bob = attach(mux, 'password-of-bob-22chars');
    expect(ann.endpoint.ufrag).not.toBe(bob.endpoint.ufrag);
    const remote = await peer();
    const send = (data: Buffer) => remote.socket.send(data, mux!.port, LOOPBACK);

    send(DTLS('before any check'));
    send(bindingRequest(bob.endpoint.ufrag, 'password-of-ann-22chars'));
    await waitFor(() => mux!.stats().dropped === 2, 'two drops');
    send(bindingRequest(bob.endpoint.ufrag, 'password-of-bob-22chars'));
    send(DTLS('hello bob'));
    await waitFor(() => bob.received.length === 2, 'the check and the DTLS record');

    expect(bob.received).toEqual([
      { data: `check ${bob.endpoint.ufrag}`, from: [LOOPBACK, remote.port] },
      { data: '\u0016hello bob', from: [LOOPBACK, remote.port] },
    ]);
    expect(ann.received).toEqual([]);
    expect(mux.stats()).toEqual({ endpoints: 2, routes: 1, dropped: 2 });
  });

  it('gives a session the replies of an address it sent to first, and forgets it once closed', async () => {
    mux = await createUdpMux(0);
    const ann = attach(mux, 'password-of-ann-22chars');
    const bob = attach(mux, 'password-of-bob-22chars');
    const remote = await peer();
    const stranger = await peer();

    await ann.endpoint.send(DTLS('to remote'), [LOOPBACK, remote.port]);
    await waitFor(() => remote.received.length === 1, 'the datagram at the remote');
    // The source address clients see is the shared port.
    remote.socket.send(DTLS('reply'), mux.port, LOOPBACK);
    stranger.socket.send(DTLS('unsolicited'), mux.port, LOOPBACK);
    await waitFor(() => ann.received.length === 1 && mux!.stats().dropped === 1, 'routing');
    // A check authenticated for bob moves the address to bob.
    remote.socket.send(bindingRequest(bob.endpoint.ufrag, 'password-of-bob-22chars'), mux.port);
    await waitFor(() => bob.received.length === 1, 'the check at bob');

    await bob.endpoint.close();
    expect(mux.stats()).toEqual({ endpoints: 1, routes: 0, dropped: 1 });
    remote.socket.send(DTLS('after close'), mux.port, LOOPBACK);
    remote.socket.send(bindingRequest(bob.endpoint.ufrag, 'password-of-bob-22chars'), mux.port);
    await waitFor(() => mux!.stats().dropped === 3, 'both dropped');
    expect(ann.received).toHaveLength(1);
    expect(bob.received).toHaveLength(1);
  });
});

describe('createUdpMux on a taken port', () => {
  it('rejects, so the relay fails where it shows', async () => {
    const holder = await createUdpMux(0);
    try {
      await expect(createUdpMux(holder.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await holder.close();
    }
  });
});
