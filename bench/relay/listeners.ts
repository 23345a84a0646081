/**
 * The listeners: node-datachannel peers of the relay (libdatachannel decrypts SRTP in its own
 * threads), each on a UDP port of its own, each handing RTP on the slot the relay announced for
 * the speaker to a callback; and, for the baselines, plain UDP sockets receiving the fan-out.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodeDataChannel, { type PeerConnection } from 'node-datachannel';
import { createSelfSignedCertificate } from 'werift';
import type { RelayMessage } from '../../server/media/relay/relay.ts';

/**
 * Called for every RTP packet a listener receives on the speaker's slot, with the listener's
 * place among this process's listeners. Every packet crosses into JavaScript (node-datachannel
 * has no RTP counter to read instead), so a callback must be cheap.
 */
export type OnRtp = (listener: number, sequenceNumber: number) => void;

/** RTCP packet types 200-207 share the second byte's range with RTP payload types 72-79. */
function isRtcp(packet: Buffer): boolean {
  const type = (packet[1] ?? 0) & 0x7f;
  return type >= 72 && type <= 79;
}

type Listener = {
  pc: PeerConnection;
  /** node-datachannel stops delivering to a Track or channel nobody references. */
  kept: unknown[];
  speakerMid: string | undefined;
  failed: boolean;
};

/**
 * One DTLS certificate (ECDSA P-256, as browsers use) for every listener: libdatachannel would
 * otherwise generate one per peer connection, which is the peers' cost of a join, not the relay's.
 */
async function sharedCertificate() {
  const { certPem, keyPem } = await createSelfSignedCertificate({ signature: 3, hash: 4 }, 23);
  const folder = mkdtempSync(join(tmpdir(), 'amphi-relay-bench-'));
  const files = {
    certificatePemFile: join(folder, 'cert.pem'),
    keyPemFile: join(folder, 'key.pem'),
  };
  writeFileSync(files.certificatePemFile, certPem);
  writeFileSync(files.keyPemFile, keyPem);
  return { files, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export async function createRelayListeners(speakerId: string, onRtp: OnRtp) {
  const certificate = await sharedCertificate();
  const listeners: Listener[] = [];
  let strays = 0;

  function watchSlots(listener: Listener, data: string | Buffer | ArrayBuffer): void {
    if (typeof data !== 'string' || !data.startsWith('{"type":"slots"')) return;
    const message = JSON.parse(data) as RelayMessage;
    if (message.type !== 'slots') return;
    listener.speakerMid = message.slots.find((slot) => slot.participantId === speakerId)?.mid;
  }

  return {
    get count() {
      return listeners.length;
    },
    /** RTP received on another slot than the one announced for the speaker, so far. */
    get strays() {
      return strays;
    },

    /** Creates a listener for the relay's offer; resolves with its answer, ICE gathered. */
    join(offer: string): Promise<string> {
      const index = listeners.length;
      const pc = new nodeDataChannel.PeerConnection(`listener-${index}`, {
        iceServers: [],
        // A socket of its own, as every browser has: the relay tells its sessions apart by the
        // client's address once ICE is done, so clients sharing one port would be one client.
        bindAddress: '127.0.0.1',
        ...certificate.files,
      });
      const listener: Listener = { pc, kept: [], speakerMid: undefined, failed: false };
      listeners.push(listener);
      pc.onStateChange((state) => {
        if (state === 'failed' || state === 'closed') listener.failed = true;
      });
      pc.onTrack((track) => {
        const mid = track.mid();
        listener.kept.push(track);
        track.onMessage((packet) => {
          if (isRtcp(packet)) return;
          if (mid === listener.speakerMid) onRtp(index, packet.readUInt16BE(2));
          // Media flows as soon as DTLS is up, before the data channel announces the slot.
          else if (listener.speakerMid !== undefined) strays += 1;
        });
      });
      pc.onDataChannel((channel) => {
        listener.kept.push(channel);
        channel.onMessage((data) => watchSlots(listener, data));
      });
      return new Promise<string>((resolve) => {
        pc.onGatheringStateChange((state) => {
          if (state === 'complete') resolve(pc.localDescription()?.sdp ?? '');
        });
        pc.setRemoteDescription(offer, 'offer');
      });
    },

    /** Listeners that hear the speaker's slot (connected, slot announced), and those that failed. */
    readiness() {
      let ready = 0;
      let failed = 0;
      for (const listener of listeners) {
        if (listener.failed) failed += 1;
        else if (listener.speakerMid !== undefined && listener.pc.state() === 'connected') {
          ready += 1;
        }
      }
      return { listeners: listeners.length, ready, failed };
    },

    /** Closes and forgets the newest `count` listeners; the others keep their indices. */
    leave(count: number): void {
      for (const listener of listeners.splice(Math.max(0, listeners.length - count))) {
        listener.pc.close();
      }
    },

    close(): void {
      for (const listener of listeners) listener.pc.close();
      listeners.length = 0;
      certificate.remove();
    },
  };
}

export type RelayListeners = Awaited<ReturnType<typeof createRelayListeners>>;

/** `count` UDP sockets on 127.0.0.1 for the fan-out; resolves with their ports. */
export async function openUdpReceivers(count: number, onRtp: OnRtp) {
  const sockets: Socket[] = [];
  for (let index = 0; index < count; index++) {
    const socket = createSocket('udp4');
    socket.on('error', () => {});
    socket.on('message', (datagram: Buffer) => onRtp(index, datagram.readUInt16BE(2)));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    sockets.push(socket);
  }
  return {
    ports: sockets.map((socket) => socket.address().port),
    async close() {
      await Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))),
      );
    },
  };
}
