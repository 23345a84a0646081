import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { classes, Message, methods } from 'werift';
import {
  connectLibsrtpListener,
  type LibsrtpListener,
} from '../../../tests/helpers/libsrtp-listener.ts';
import {
  connectWrtcClient,
  type RelayTestClient,
  waitFor,
} from '../../../tests/helpers/relay-peers.ts';
import { udpSocketsPerTest } from '../../../tests/helpers/udp-sockets.ts';
import { createRelay, type PipedRelay } from './relay.ts';

const boundSocket = udpSocketsPerTest();

/** The relay's ICE credentials and port from its offer. */
function credentialsOf(offer: string) {
  const ufrag = /a=ice-ufrag:(\S+)/.exec(offer)?.[1] ?? '';
  const password = /a=ice-pwd:(\S+)/.exec(offer)?.[1] ?? '';
  const port = Number(/ udp \d+ \S+ (\d+) typ host/.exec(offer)?.[1]);
  return { ufrag, password, port };
}

/** Datagrams of every class the relay tells apart by their first byte, each of them junk. */
function junk(): Buffer[] {
  const withFirstByte = (first: number, length: number) => {
    const datagram = randomBytes(length);
    datagram[0] = first;
    return datagram;
  };
  return [
    Buffer.alloc(0),
    Buffer.from([0]),
    withFirstByte(0, 19),
    withFirstByte(1, 64),
    withFirstByte(3, 300),
    withFirstByte(20, 3),
    withFirstByte(22, 13),
    withFirstByte(22, 200),
    withFirstByte(23, 90),
    withFirstByte(63, 1200),
    withFirstByte(128, 5),
    withFirstByte(0x80, 12),
    withFirstByte(0x90, 200),
    withFirstByte(191, 1400),
    withFirstByte(255, 50),
  ];
}

describe('createRelay under hostile datagrams', () => {
  let relay: PipedRelay | undefined;
  const clients: (RelayTestClient | LibsrtpListener)[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await relay?.stop();
    relay = undefined;
  });

  it('drops junk of every kind from an address that passed a check, and goes on serving', async () => {
    relay = createRelay({ port: 0, announcedIp: '127.0.0.1' });
    relay.setPublishers('space', new Set(['speaker']));
    const seat = await relay.open('space', 'speaker');
    const speaker = await connectWrtcClient(seat.offer, { speak: true });
    clients.push(speaker);
    await relay.answer(seat.sessionId, speaker.answer);
    const opened = await relay.open('space', 'listener');
    const listener = await connectLibsrtpListener(opened.offer);
    clients.push(listener);
    await relay.answer(opened.sessionId, listener.answer);
    await waitFor(() => listener.received.length > 10, 'the speaker at the listener');

    // An attacker holding a session's credentials (its own offer) passes a check, so its
    // address routes to that session; then it sends junk there and at the other sessions.
    const attacker = await relay.open('space', 'attacker');
    const { ufrag, password, port } = credentialsOf(attacker.offer);
    const socket = await boundSocket();
    const check = new Message(methods.BINDING, classes.REQUEST)
      .setAttribute('USERNAME', `${ufrag}:attacker`)
      .setAttribute('PRIORITY', 1)
      .setAttribute('ICE-CONTROLLING', 1n)
      .setAttribute('USE-CANDIDATE', null)
      .addMessageIntegrity(Buffer.from(password))
      .addFingerprint();
    socket.send(check.bytes, port, '127.0.0.1');
    await once(socket, 'message');
    for (let round = 0; round < 20; round++) {
      for (const datagram of junk()) socket.send(datagram, port, '127.0.0.1');
    }
    await relay.answer(attacker.sessionId, speaker.answer).catch(() => {});
    for (const datagram of junk()) socket.send(datagram, port, '127.0.0.1');

    const before = listener.received.length;
    await waitFor(() => listener.received.length > before + 25, 'the speaker after the junk');
    expect(relay.isOpen(opened.sessionId)).toBe(true);
  });
});
