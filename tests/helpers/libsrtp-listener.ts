import nodeDataChannel, { type PeerConnection } from 'node-datachannel';
import { messageLog, type RelayTestClient } from './relay-peers.ts';

/** One RTP packet as a libsrtp receiver delivered it: decrypted and authenticated. */
export type ReceivedRtp = {
  mid: string;
  sequenceNumber: number;
  ssrc: number;
  payload: Buffer;
  /** The RFC 6464 audio level byte the copy carried, if any. */
  level: number | undefined;
};

export type LibsrtpListener = RelayTestClient & {
  /** Every RTP packet received so far, in arrival order (none kept with `keep: false`). */
  readonly received: readonly ReceivedRtp[];
  /** How many RTP packets were received so far, kept or not. */
  receivedCount(): number;
  /** Whether libdatachannel reports the connection (ICE and DTLS) up. */
  isConnected(): boolean;
};

/** RTCP packet types 200-207 share the second byte's range with RTP payload types 72-79. */
function isRtcp(packet: Buffer): boolean {
  const type = (packet[1] ?? 0) & 0x7f;
  return type >= 72 && type <= 79;
}

/**
 * A listener of the relay as browsers are one: node-datachannel (libdatachannel, whose SRTP is
 * libsrtp, as in Chromium and Firefox) with full ICE and DTLS-SRTP. A packet libsrtp cannot
 * decrypt, or refuses as a replay, never reaches `received`.
 */
export async function connectLibsrtpListener(
  offer: string,
  { keep = true }: { keep?: boolean } = {},
): Promise<LibsrtpListener> {
  const log = messageLog();
  const received: ReceivedRtp[] = [];
  let receivedCount = 0;
  // node-datachannel stops delivering to a Track or channel nobody references.
  const kept: unknown[] = [];
  const pc: PeerConnection = new nodeDataChannel.PeerConnection('libsrtp-listener', {
    iceServers: [],
    bindAddress: '127.0.0.1',
  });
  pc.onTrack((track) => {
    kept.push(track);
    const mid = track.mid();
    track.onMessage((packet) => {
      if (packet.length < 12 || isRtcp(packet)) return;
      receivedCount++;
      if (!keep) return;
      received.push({
        mid,
        sequenceNumber: packet.readUInt16BE(2),
        ssrc: packet.readUInt32BE(8),
        payload: Buffer.from(
          packet.subarray(12 + 4 * ((packet[0] ?? 0) & 0x0f) + extensionBytes(packet)),
        ),
        level: levelId === undefined ? undefined : oneByteExtension(packet, levelId)?.[0],
      });
    });
  });
  let channel: { sendMessage(message: string): boolean } | undefined;
  const send = (message: string) => void channel?.sendMessage(message);
  // libdatachannel answers a remote offer by itself, reporting the answer here.
  let reofferRevision: number | undefined;
  pc.onLocalDescription((sdp, type) => {
    if (type !== 'answer' || reofferRevision === undefined) return;
    send(JSON.stringify({ type: 'answer', revision: reofferRevision, sdp }));
    reofferRevision = undefined;
  });
  pc.onDataChannel((opened) => {
    kept.push(opened);
    channel = opened;
    opened.onMessage((data) => {
      if (typeof data !== 'string') return;
      const message = log.receive(data);
      if (message.type !== 'offer') return;
      reofferRevision = message.revision;
      pc.setRemoteDescription(message.sdp, 'offer');
    });
  });
  // The id this listener's answer gives the level extension, read once it is made.
  let levelId: number | undefined;
  const answer = await new Promise<string>((resolve) => {
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') resolve(pc.localDescription()?.sdp ?? '');
    });
    pc.setRemoteDescription(offer, 'offer');
  });
  const extmap = /^a=extmap:(\d+) urn:ietf:params:rtp-hdrext:ssrc-audio-level/m.exec(answer);
  levelId = extmap ? Number(extmap[1]) : undefined;
  return {
    answer,
    messages: log.messages,
    slots: log.slots,
    midOf: log.midOf,
    send,
    received,
    receivedCount: () => receivedCount,
    isConnected: () => pc.state() === 'connected',
    close: async () => {
      pc.close();
      kept.length = 0;
    },
  };
}

/** The length of an RTP header extension block (RFC 3550 5.3.1), if the X bit is set. */
function extensionBytes(packet: Buffer): number {
  if (((packet[0] ?? 0) & 0x10) === 0) return 0;
  const at = 12 + 4 * ((packet[0] ?? 0) & 0x0f);
  return 4 + 4 * packet.readUInt16BE(at + 2);
}

/** The payload of the RFC 8285 one-byte-header extension element `id`, if the packet has one. */
function oneByteExtension(packet: Buffer, id: number): Buffer | undefined {
  if (((packet[0] ?? 0) & 0x10) === 0) return undefined;
  const at = 12 + 4 * ((packet[0] ?? 0) & 0x0f);
  if (packet.readUInt16BE(at) !== 0xbede) return undefined;
  const end = at + 4 + 4 * packet.readUInt16BE(at + 2);
  for (let element = at + 4; element < end; ) {
    const byte = packet[element] ?? 0;
    // Padding.
    if (byte === 0) {
      element++;
      continue;
    }
    const length = (byte & 0x0f) + 1;
    if (byte >> 4 === id) return packet.subarray(element + 1, element + 1 + length);
    element += 1 + length;
  }
  return undefined;
}
