import { randomBytes } from 'node:crypto';
import type { RemoteInfo, Socket } from 'node:dgram';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RtpPacket,
  SrtcpSession,
  type SrtpProfile,
} from 'werift';
import { sessions } from '../../../tests/helpers/srtp-sessions.ts';
import { udpSocketsPerTest } from '../../../tests/helpers/udp-sockets.ts';
import { createNativeBatch, sendNativeBatch } from './native-srtp.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { createSrtpEgress, type SrtpRoute } from './srtp-egress.ts';
import type { SrtpKeys } from './srtp-keys.ts';

const boundSocket = udpSocketsPerTest();
const FORMAT = { payloadType: 111, levelId: undefined };

/** The relay's keys of one DTLS session, and the listener's session that decrypts them. */
function keyed(profile: SrtpProfile): {
  keys: SrtpKeys;
  listener: ReturnType<typeof sessions>['listener'];
} {
  const { relay, context, listener } = sessions(profile);
  return { keys: { local: context, srtp: relay, srtcp: new SrtcpSession(relay.config) }, listener };
}

function ears(socket: Socket): { datagram: Buffer; from: RemoteInfo }[] {
  const received: { datagram: Buffer; from: RemoteInfo }[] = [];
  socket.on('message', (datagram, from) => received.push({ datagram, from }));
  return received;
}

describe('createSrtpEgress', () => {
  it('keeps the listener’s stream decryptable when its address changes across a sequence wrap', async () => {
    const { keys, listener } = keyed(ProtectionProfileAeadAes128Gcm);
    const relaySocket = await boundSocket();
    const [before, after] = [await boundSocket(), await boundSocket()];
    const heard = [ears(before), ears(after)];
    const route = (socket: Socket): SrtpRoute => ({
      keys,
      socket: relaySocket,
      address: '127.0.0.1',
      port: socket.address().port,
    });
    const egress = createSrtpEgress(0x5151_5151, 'relay');
    const batch = createNativeBatch();
    const sent: OutgoingRtp[] = [];
    let current = route(before);
    for (let index = 0; index < 80; index++) {
      // The client nominates another of its addresses mid-stream.
      if (index === 30) current = route(after);
      const packet: OutgoingRtp = {
        marker: false,
        sequenceNumber: (65_500 + index) % 65_536,
        // The slot was at roll-over counter 4 when this listener's session began.
        rolloverCounter: 65_500 + index < 65_536 ? 4 : 5,
        timestamp: index * 960,
        payload: randomBytes(60),
        levelPayload: undefined,
        arrivedAt: 0,
        nativeBatch: batch,
      };
      expect(egress.sendSync(packet, current, FORMAT)).toBe(true);
      sendNativeBatch(batch, packet);
      sent.push(packet);
    }
    egress.stop();
    while (heard[0]!.length + heard[1]!.length < sent.length) {
      await Promise.race([once(before, 'message'), once(after, 'message')]);
    }

    const decrypted = [...heard[0]!, ...heard[1]!].map(({ datagram }) =>
      RtpPacket.deSerialize(listener.decrypt(datagram)),
    );
    expect(decrypted.map((packet) => packet.header.sequenceNumber)).toEqual(
      sent.map((packet) => packet.sequenceNumber),
    );
    expect(decrypted.map((packet) => packet.payload)).toEqual(sent.map((packet) => packet.payload));
    expect(heard.map((datagrams) => datagrams.length)).toEqual([30, 50]);
  });

  it('starts a new DTLS session’s stream at roll-over counter 0, and skips packets from before it', async () => {
    const relaySocket = await boundSocket();
    const client = await boundSocket();
    const heard = ears(client);
    const egress = createSrtpEgress(77, 'relay');
    const packet = (sequenceNumber: number, rolloverCounter: number): OutgoingRtp => ({
      marker: false,
      sequenceNumber,
      rolloverCounter,
      timestamp: 960,
      payload: randomBytes(40),
      levelPayload: undefined,
      arrivedAt: 0,
      nativeBatch: createNativeBatch(),
    });
    const send = (route: SrtpRoute, rtp: OutgoingRtp) => {
      const sent = egress.sendSync(rtp, route, FORMAT);
      sendNativeBatch(rtp.nativeBatch, rtp);
      return sent;
    };
    const first = keyed(ProtectionProfileAes128CmHmacSha1_80);
    const second = keyed(ProtectionProfileAeadAes128Gcm);
    const on = (keys: SrtpKeys): SrtpRoute => ({
      keys,
      socket: relaySocket,
      address: '127.0.0.1',
      port: client.address().port,
    });
    expect(send(on(first.keys), packet(65_535, 2))).toBe(true);
    expect(send(on(first.keys), packet(0, 3))).toBe(true);
    // From before this listener's first packet's roll-over: no index to send it with.
    expect(send(on(first.keys), packet(65_534, 1))).toBe(false);
    // The client reconnected: new keys, whose stream starts where the slot is now.
    expect(send(on(second.keys), packet(1, 3))).toBe(true);
    egress.stop();
    expect(send(on(second.keys), packet(2, 3))).toBe(false);
    while (heard.length < 3) await once(client, 'message');
    const sequence = (listener: typeof first.listener, datagram: Buffer) =>
      RtpPacket.deSerialize(listener.decrypt(datagram)).header.sequenceNumber;
    expect(heard.slice(0, 2).map(({ datagram }) => sequence(first.listener, datagram))).toEqual([
      65_535, 0,
    ]);
    expect(sequence(second.listener, heard[2]!.datagram)).toBe(1);
  });
});
