import { randomBytes, randomUUID } from 'node:crypto';
import { type RTCCertificate, RtpPacket } from 'werift';
import { relayCertificate } from './dtls-certificate.ts';
import { createDtlsSession, type DtlsSession, type SrtpKeys } from './dtls-session.ts';
import { createIceLite, type IceLite } from './ice-lite.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { type RelayAnswer, readAnswer } from './relay-answer.ts';
import { createRelayChannel, type RelayChannel } from './relay-channel.ts';
import { type RelayOffer, relayOffer } from './relay-offer.ts';
import {
  createSrtpEgress,
  type SlotFormat,
  type SrtpEgress,
  type SrtpRoute,
} from './srtp-egress.ts';
import type { MuxAddress, UdpMux, UdpMuxEndpoint } from './udp-mux.ts';

/** What a relay peer reports to its owner. */
export type RelayPeerEvents = {
  /** RTP from the participant's microphone, with its RFC 6464 audio level payload if it sent one. */
  onRtp(packet: RtpPacket, levelPayload: Buffer | undefined): void;
  onChannelOpen(): void;
  /** A message from the client on the `amphi` data channel. */
  onChannelMessage(message: string): void;
  /** DTLS failed or was closed by the client, or consent expired; the peer is unusable. */
  onFailed(): void;
};

export type RelayPeerOptions = RelayPeerEvents & {
  /** The most slot sections any offer of this peer may have (the relay's seats). */
  slots: number;
  /** The relay's shared UDP socket (bound by the time it resolves), and the address its host candidate carries. */
  mux: Promise<UdpMux>;
  address: string;
};

function formatsOf(answer: RelayAnswer, mids: readonly string[]): (SlotFormat | undefined)[] {
  return mids.map((mid) => {
    const answered = answer.audio.get(mid);
    return answered?.open ? answered : undefined;
  });
}

function distinctSsrcs(count: number): number[] {
  const ssrcs = new Set<number>();
  // One draw for all of them: each draw from the CSPRNG costs a call into C++, and a session has
  // a dozen slots.
  while (ssrcs.size < count) {
    const drawn = randomBytes(4 * (count - ssrcs.size));
    for (let at = 0; at < drawn.length && ssrcs.size < count; at += 4) {
      ssrcs.add(drawn.readUInt32BE(at) || 1);
    }
  }
  return [...ssrcs];
}

/**
 * One participant's WebRTC endpoint on the relay, without a peer connection: an ICE-lite agent,
 * a DTLS-SRTP session and the `amphi` data channel on the relay's shared socket, a recvonly
 * microphone section and `slots` sendonly sections. A listener then costs a few small objects
 * and, once it hears someone, a native sender per slot; nothing runs for it between packets but
 * its consent sweep.
 */
export function createRelayPeer(options: RelayPeerOptions) {
  const password = randomBytes(16).toString('hex');
  const cname = randomUUID();
  const ssrcs = distinctSsrcs(options.slots);
  // Made at a slot's first copy: most listeners only ever hear a few of the slots.
  const egresses: (SrtpEgress | undefined)[] = [];
  let endpoint: UdpMuxEndpoint | undefined;
  let mux: UdpMux | undefined;
  let ice: IceLite | undefined;
  let dtls: DtlsSession | undefined;
  let channel: RelayChannel | undefined;
  let keys: SrtpKeys | undefined;
  let route: SrtpRoute | undefined;
  let mids: string[] = [];
  let slotsBeforeChannel = 0;
  let version = 1;
  const originId = Date.now();
  let answered: RelayAnswer | undefined;
  let formats: (SlotFormat | undefined)[] = [];
  let micLevelId: number | undefined;
  let sctpPort: number | undefined;
  let dtlsFrom: MuxAddress | undefined;
  let certificate: RTCCertificate | undefined;
  let closed = false;

  function updateRoute(): void {
    const to = ice?.selected;
    route =
      keys && mux && to ? { keys, socket: mux.socket, address: to[0], port: to[1] } : undefined;
  }

  function receiveMedia(data: Buffer): void {
    // RFC 5761: RTCP packet types 192-223 sit where RTP's marker and payload type are; the
    // client's receiver reports are not used.
    const secondByte = data[1] ?? 0;
    if (!keys || (secondByte >= 192 && secondByte <= 223)) return;
    let packet: RtpPacket;
    try {
      packet = RtpPacket.deSerialize(keys.srtp.decrypt(data));
    } catch {
      return;
    }
    const level =
      micLevelId === undefined
        ? undefined
        : packet.header.extensions.find((extension) => extension.id === micLevelId)?.payload;
    options.onRtp(packet, level?.length ? level : undefined);
  }

  function startDtls(role: 'server' | 'client'): DtlsSession | undefined {
    if (!certificate || closed) return undefined;
    const session = createDtlsSession({
      role,
      certificate,
      send: (datagram) => {
        const to = dtlsFrom ?? ice?.selected;
        if (to) void endpoint?.send(datagram, to);
      },
      onConnected: (exported) => {
        keys = exported;
        updateRoute();
        if (sctpPort !== undefined) channel?.start(sctpPort);
      },
      onData: (data) => channel?.receive(data),
      onClosed: options.onFailed,
    });
    channel = createRelayChannel({
      send: (data) => session.send(data),
      onOpen: options.onChannelOpen,
      onMessage: options.onChannelMessage,
    });
    return session;
  }

  function writeOffer(slotCount: number, setup: 'actpass' | 'active' | 'passive'): RelayOffer {
    return relayOffer({
      ufrag: endpoint?.ufrag ?? '',
      password,
      fingerprint: certificate?.getFingerprints()[0]?.value ?? '',
      address: options.address,
      port: mux?.port ?? 0,
      slotSsrcs: ssrcs.slice(0, slotCount),
      slotsBeforeChannel,
      cname,
      origin: { sessionId: originId, version },
      setup,
    });
  }

  // RFC 7983: the first byte tells DTLS (20-63) and SRTP/SRTCP (128-191) apart; the mux hands
  // binding requests over on their own, and other STUN is not for a lite agent.
  function receive(data: Buffer, from: MuxAddress): void {
    const first = data[0] ?? 255;
    if (first >= 20 && first <= 63) {
      // Only a DTLS client speaks first: the client is one, whatever its answer will say, and
      // the handshake need not wait for the answer to come through the API.
      dtls ??= startDtls('server');
      // Handshake replies go where the client's records come from (the mux routes only
      // addresses that passed a check), which need not be the pair it nominated first.
      dtlsFrom = from;
      dtls?.receive(data, from);
    } else if (first >= 128 && first <= 191) receiveMedia(data);
  }

  return {
    /**
     * Attaches to the shared socket and writes the offer with `slotCount` slot sections (no
     * gathering: the relay is ICE-lite).
     */
    async createOffer(slotCount: number): Promise<string> {
      certificate = await relayCertificate();
      mux = await options.mux;
      if (closed) throw new Error('The peer was closed.');
      endpoint = mux.attach(password);
      endpoint.onData = receive;
      endpoint.onCheck = (request, from) => ice?.receive(request, from);
      ice = createIceLite(endpoint, {
        onSelected: updateRoute,
        onExpired: options.onFailed,
      });
      slotsBeforeChannel = Math.min(slotCount, options.slots);
      const offer = writeOffer(slotsBeforeChannel, 'actpass');
      mids = offer.slotMids;
      return offer.sdp;
    },

    /**
     * A re-offer with `slotCount` slot sections, the first ones as before; undefined until the
     * first answer is applied. Nothing changes until its answer is applied (`applyReanswer`).
     */
    createReoffer(slotCount: number): RelayOffer | undefined {
      if (!answered || closed) return undefined;
      version++;
      // The client's role stays: answered `active`, it is the DTLS client, the relay passive.
      return writeOffer(
        Math.min(slotCount, options.slots),
        answered.setup === 'active' ? 'passive' : 'active',
      );
    },

    /** Transceiver mids by slot, of the sections the client has answered (or been offered first). */
    slotMids(): string[] {
      return mids;
    },

    async applyAnswer(sdp: string): Promise<void> {
      const answer = readAnswer(sdp);
      if (!answer) throw new Error('The answer lacks a DTLS role or fingerprint.');
      if (!endpoint || !ice || closed) throw new Error('The peer was closed.');
      formats = formatsOf(answer, mids);
      micLevelId = answer.audio.get('0')?.levelId;
      sctpPort = answer.sctpPort;
      const role = answer.setup === 'active' ? 'server' : 'client';
      dtls ??= startDtls(role);
      if (!dtls) throw new Error('The peer was closed.');
      if (dtls.role !== role) throw new Error('The answer’s DTLS role is not the one it used.');
      dtls.expectFingerprint(answer.fingerprint);
      ice.watchConsent();
      answered = answer;
    },

    /**
     * Applies the answer to a re-offer whose slot mids were `offeredMids`; throws, changing
     * nothing, if it would change the DTLS role or certificate of the running association.
     */
    applyReanswer(sdp: string, offeredMids: readonly string[]): void {
      const answer = readAnswer(sdp);
      if (!answer) throw new Error('The answer lacks a DTLS role or fingerprint.');
      if (!answered || closed) throw new Error('The peer has no association to renegotiate.');
      if (
        answer.setup !== answered.setup ||
        answer.fingerprint.algorithm !== answered.fingerprint.algorithm ||
        answer.fingerprint.value.toUpperCase() !== answered.fingerprint.value.toUpperCase()
      ) {
        throw new Error('The answer changes the DTLS role or certificate.');
      }
      mids = [...offeredMids];
      formats = formatsOf(answer, mids);
    },

    /**
     * Sends a copy of `packet` on a slot. Returns false when the slot cannot carry media yet
     * (not answered, not connected, or refused by the client).
     */
    forward(slot: number, packet: OutgoingRtp): boolean {
      const format = formats[slot];
      if (!route || !format) return false;
      let egress = egresses[slot];
      if (!egress) {
        const ssrc = ssrcs[slot];
        if (ssrc === undefined) return false;
        egress = createSrtpEgress(ssrc, cname);
        egresses[slot] = egress;
      }
      return egress.sendSync(packet, route, format);
    },

    /** Counts copies of a slot sent natively without `forward`, for its sender reports. */
    credit(slot: number, packets: number, octets: number, timestamp: number, arrivedAt: number) {
      egresses[slot]?.credit(packets, octets, timestamp, arrivedAt);
    },

    /** Sends a data-channel message if the channel is open; messages are not queued. */
    send(message: string): void {
      channel?.send(message);
    },

    async close(): Promise<void> {
      closed = true;
      route = undefined;
      for (const egress of egresses) egress?.stop();
      ice?.close();
      channel?.close();
      dtls?.close();
      await endpoint?.close();
    },
  };
}

export type RelayPeer = ReturnType<typeof createRelayPeer>;
