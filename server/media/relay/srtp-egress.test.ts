import { randomBytes } from 'node:crypto';
import type { RemoteInfo, Socket } from 'node:dgram';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ProtectionProfileAeadAes128Gcm, type RTCRtpSender, RtpPacket } from 'werift';
import { sessions } from '../../../tests/helpers/srtp-sessions.ts';
import { udpSocketsPerTest } from '../../../tests/helpers/udp-sockets.ts';
import { createNativeBatch, sendNativeBatch } from './native-srtp.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { createSrtpEgress } from './srtp-egress.ts';

const boundSocket = udpSocketsPerTest();

/** A selected ICE pair as werift 0.24 declares it public: our socket, the listener's address. */
const pairOn = (socket: Socket, port: number) => ({
  protocol: { type: 'stun', transport: { socket, closed: false } },
  remoteAddr: ['127.0.0.1', port] as const,
});

describe('createSrtpEgress', () => {
  it('keeps the listener’s stream decryptable when the selected pair changes across a sequence wrap', async () => {
    const { relay, listener } = sessions(ProtectionProfileAeadAes128Gcm);
    const ears = await boundSocket();
    const received: { datagram: Buffer; from: RemoteInfo }[] = [];
    ears.on('message', (datagram, from) => received.push({ datagram, from }));
    const [first, second] = [await boundSocket(), await boundSocket()];
    const connection = {
      nominated: pairOn(first, ears.address().port),
      state: 'connected',
      send: async () => {},
    };
    // The public werift sender fields the egress reads.
    const sender = {
      ssrc: 0x5151_5151,
      codec: { payloadType: 111 },
      dtlsTransport: {
        state: 'connected',
        sendRtcp: async () => {},
        srtp: relay,
        iceTransport: { connection },
      },
    };
    const egress = createSrtpEgress(sender as unknown as RTCRtpSender, 'relay');
    const batch = createNativeBatch();
    const sent: OutgoingRtp[] = [];
    for (let index = 0; index < 80; index++) {
      // An ICE restart moves the listener to another local socket mid-stream.
      if (index === 30) connection.nominated = pairOn(second, ears.address().port);
      const packet: OutgoingRtp = {
        marker: false,
        sequenceNumber: (65_500 + index) % 65_536,
        // The slot was at roll-over counter 4 when this listener's session began.
        rolloverCounter: 65_500 + index < 65_536 ? 4 : 5,
        timestamp: index * 960,
        payload: randomBytes(60),
        levelPayload: undefined,
        ntp: 0n,
        nativeBatch: batch,
      };
      expect(egress.sendSync(packet, undefined)).toBe(true);
      sendNativeBatch(batch, packet);
      sent.push(packet);
    }
    egress.stop();
    while (received.length < sent.length) await once(ears, 'message');

    const decrypted = received.map(({ datagram }) =>
      RtpPacket.deSerialize(listener.decrypt(datagram)),
    );
    expect(decrypted.map((packet) => packet.header.sequenceNumber)).toEqual(
      sent.map((packet) => packet.sequenceNumber),
    );
    expect(decrypted.map((packet) => packet.payload)).toEqual(sent.map((packet) => packet.payload));
    const ports = received.map(({ from }) => from.port);
    expect(ports[0]).toBe(first.address().port);
    expect(ports.at(-1)).toBe(second.address().port);
  });

  it('protects copies on a TURN pair itself and sends them through the ICE connection', () => {
    const { relay, listener } = sessions(ProtectionProfileAeadAes128Gcm);
    const sent: Buffer[] = [];
    const connection = {
      nominated: { protocol: { type: 'turn' }, remoteAddr: ['127.0.0.1', 9] as const },
      state: 'connected',
      send: async (datagram: Buffer) => {
        sent.push(datagram);
      },
    };
    const sender = {
      ssrc: 77,
      codec: { payloadType: 111 },
      dtlsTransport: {
        state: 'connected',
        sendRtcp: async () => {},
        srtp: relay,
        iceTransport: { connection },
      },
    };
    const egress = createSrtpEgress(sender as unknown as RTCRtpSender, 'relay');
    const packet = (sequenceNumber: number, rolloverCounter: number): OutgoingRtp => ({
      marker: false,
      sequenceNumber,
      rolloverCounter,
      timestamp: 960,
      payload: randomBytes(40),
      levelPayload: undefined,
      ntp: 0n,
      nativeBatch: createNativeBatch(),
    });
    expect(egress.sendSync(packet(65_535, 2), undefined)).toBe(true);
    expect(egress.sendSync(packet(0, 3), undefined)).toBe(true);
    // From before this listener's first packet's roll-over: no index to send it with.
    expect(egress.sendSync(packet(65_534, 1), undefined)).toBe(false);
    // Consent expired: werift fails the connection, and nothing more is sent.
    connection.state = 'failed';
    expect(egress.sendSync(packet(1, 3), undefined)).toBe(false);
    egress.stop();
    expect(
      sent.map(
        (datagram) => RtpPacket.deSerialize(listener.decrypt(datagram)).header.sequenceNumber,
      ),
    ).toEqual([65_535, 0]);
  });
});
