import {
  RTCPeerConnection,
  type RTCRtpTransceiver,
  RTP_EXTENSION_URI,
  type RtpPacket,
  useAudioLevelIndication,
  useOPUS,
} from 'werift';
import { relayCertificate } from './dtls-certificate.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { RELAY_CHANNEL_LABEL } from './relay-messages.ts';
import type { RelayConfig } from './relay-types.ts';
import { useSharedSocket } from './shared-ice-socket.ts';
import { createSrtpEgress } from './srtp-egress.ts';
import type { UdpMux } from './udp-mux.ts';

/** What a relay peer reports to its owner. */
export type RelayPeerEvents = {
  /** RTP from the participant's microphone, with its RFC 6464 audio level payload if it sent one. */
  onRtp(packet: RtpPacket, levelPayload: Buffer | undefined): void;
  onChannelOpen(): void;
  /** The connection failed or was closed by werift; the peer is unusable. */
  onFailed(): void;
};

export type RelayPeerOptions = RelayPeerEvents & {
  slots: number;
  iceServers: NonNullable<RelayConfig['iceServers']>;
  /** The relay's shared UDP socket (bound by the time it resolves), and the interface address its host candidate carries. */
  mux: Promise<UdpMux>;
  address: string;
};

function levelExtensionId(transceiver: RTCRtpTransceiver): number | undefined {
  return transceiver.headerExtensions.find(
    (extension) => extension.uri === RTP_EXTENSION_URI.audioLevelIndication,
  )?.id;
}

/**
 * One participant's werift peer connection as the relay uses it: the relay offers a recvonly
 * microphone transceiver, `slots` sendonly transceivers and the `amphi` data channel.
 */
export function createRelayPeer(options: RelayPeerOptions) {
  const pc = new RTCPeerConnection({
    iceServers: options.iceServers,
    iceUseIpv6: false,
    iceInterfaceAddresses: { udp4: options.address },
    // One transport for every section: werift would otherwise bind a socket per m-line.
    bundlePolicy: 'max-bundle',
    codecs: { audio: [useOPUS()] },
    headerExtensions: { audio: [useAudioLevelIndication()] },
  });
  const microphone = pc.addTransceiver('audio', { direction: 'recvonly' });
  const slots = Array.from({ length: options.slots }, () =>
    pc.addTransceiver('audio', { direction: 'sendonly' }),
  );
  const egresses = slots.map((transceiver) => createSrtpEgress(transceiver.sender, pc.cname));
  const channel = pc.createDataChannel(RELAY_CHANNEL_LABEL);
  const subscriptions: { unSubscribe(): void }[] = [];
  let micLevelId: number | undefined;
  let slotLevelIds: (number | undefined)[] = [];

  subscriptions.push(
    channel.stateChanged.subscribe((state) => {
      if (state === 'open') options.onChannelOpen();
    }),
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' || state === 'closed') options.onFailed();
    }),
    microphone.onTrack.subscribe((track) => {
      subscriptions.push(track.onReceiveRtp.subscribe((packet) => receive(packet)));
    }),
  );

  function receive(packet: RtpPacket): void {
    const levelPayload =
      micLevelId === undefined
        ? undefined
        : packet.header.extensions.find((extension) => extension.id === micLevelId)?.payload;
    options.onRtp(packet, levelPayload?.length ? levelPayload : undefined);
  }

  return {
    /** Creates and applies the offer; resolves once ICE gathering is complete. */
    async createOffer(): Promise<string> {
      await relayCertificate();
      useSharedSocket(pc, await options.mux, options.address);
      await pc.setLocalDescription(await pc.createOffer());
      const sdp = pc.localDescription?.sdp;
      if (!sdp?.includes('a=candidate:')) {
        throw new Error('ICE gathering found no usable address or port.');
      }
      return sdp;
    },

    /** Transceiver mids by slot, known once the offer is applied. */
    slotMids(): string[] {
      return slots.map((transceiver) => transceiver.mid ?? '');
    },

    async applyAnswer(sdp: string): Promise<void> {
      await pc.setRemoteDescription({ type: 'answer', sdp });
      micLevelId = levelExtensionId(microphone);
      slotLevelIds = slots.map(levelExtensionId);
    },

    /**
     * Sends a copy of `packet` on a slot. Returns false when the slot cannot carry media yet
     * (not answered or not connected).
     */
    forward(slot: number, packet: OutgoingRtp): boolean {
      const sender = slots[slot]?.sender;
      if (sender?.transport?.state !== 'connected') return false;
      // Only the level goes out as an extension: other extensions' ids belong to the speaker's
      // negotiation.
      const levelId = slotLevelIds[slot];
      return egresses[slot]?.sendSync(packet, levelId) ?? false;
    },

    /** Counts copies of a slot sent natively without `forward`, for its sender reports. */
    credit(slot: number, packets: number, octets: number, last: OutgoingRtp): void {
      egresses[slot]?.credit(packets, octets, last);
    },

    /** Sends a data-channel message if the channel is open; messages are not queued. */
    send(message: string): void {
      if (channel.readyState !== 'open') return;
      try {
        channel.send(message);
      } catch {
        // The channel closed between the check and the send; the session is going away.
      }
    },

    async close(): Promise<void> {
      for (const egress of egresses) egress.stop();
      for (const subscription of subscriptions) subscription.unSubscribe();
      subscriptions.length = 0;
      await pc.close();
    },
  };
}

export type RelayPeer = ReturnType<typeof createRelayPeer>;
