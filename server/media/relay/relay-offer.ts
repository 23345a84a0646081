/** The Opus payload type the relay offers (the one browsers use). */
export const OPUS_PAYLOAD_TYPE = 111;
/** The RFC 6464 audio-level extension id the relay offers; answers may renumber it. */
export const LEVEL_EXTENSION_ID = 1;
export const LEVEL_EXTENSION_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
/** The SCTP port of the relay's data channel section (RFC 8841's default). */
export const SCTP_PORT = 5000;
const MAX_MESSAGE_SIZE = 65536;

export type RelayOfferInit = {
  ufrag: string;
  password: string;
  /** The relay certificate's SHA-256 fingerprint, colon-separated uppercase hex. */
  fingerprint: string;
  /** Host candidate address and the shared UDP port. */
  address: string;
  port: number;
  /** The SSRC of each sendonly slot section, in slot order. */
  slotSsrcs: readonly number[];
  cname: string;
  /** The `o=` line's session id and version: the same id, a higher version for each re-offer. */
  origin: { sessionId: number; version: number };
  /**
   * How many slot sections come before the data channel: the number the first offer had. A
   * re-offer appends its new slots after the channel, since m-lines never move (RFC 3264 §8).
   * @default every slot
   */
  slotsBeforeChannel?: number;
  /**
   * The relay's DTLS role: `actpass` first, then the role the first answer left it, so a re-offer
   * cannot be read as asking for a new DTLS association. @default 'actpass'
   */
  setup?: 'actpass' | 'active' | 'passive';
};

/** An offer and the mids it gave: mid 0 the microphone, then one per slot, then the channel. */
export type RelayOffer = { sdp: string; slotMids: string[]; channelMid: string };

/**
 * The relay's SDP offer, written rather than produced by a peer connection: one recvonly
 * microphone section, one sendonly section per slot and the `amphi` data channel, all bundled
 * on the one host candidate of the relay's shared UDP port. The relay is ICE-lite (RFC 8445
 * §2.5): it answers the client's checks and never sends its own, so there is nothing to gather.
 */
export function relayOffer(init: RelayOfferInit): RelayOffer {
  const beforeChannel = init.slotsBeforeChannel ?? init.slotSsrcs.length;
  // Slots after the channel skip its mid, so a slot keeps its mid in every later offer.
  const slotMids = init.slotSsrcs.map((_, index) =>
    String(index < beforeChannel ? index + 1 : index + 2),
  );
  const channelMid = String(beforeChannel + 1);
  const mids = [
    '0',
    ...slotMids.slice(0, beforeChannel),
    channelMid,
    ...slotMids.slice(beforeChannel),
  ];
  const transport = [
    `c=IN IP4 ${init.address}`,
    `a=candidate:1 1 udp 2130706431 ${init.address} ${init.port} typ host`,
    'a=end-of-candidates',
    `a=ice-ufrag:${init.ufrag}`,
    `a=ice-pwd:${init.password}`,
    `a=fingerprint:sha-256 ${init.fingerprint}`,
    `a=setup:${init.setup ?? 'actpass'}`,
  ];
  const audio = (mid: string, direction: string) => [
    `m=audio ${init.port} UDP/TLS/RTP/SAVPF ${OPUS_PAYLOAD_TYPE}`,
    ...transport,
    `a=mid:${mid}`,
    `a=${direction}`,
    'a=rtcp-mux',
    `a=rtpmap:${OPUS_PAYLOAD_TYPE} opus/48000/2`,
    `a=fmtp:${OPUS_PAYLOAD_TYPE} minptime=10;useinbandfec=1`,
    `a=extmap:${LEVEL_EXTENSION_ID} ${LEVEL_EXTENSION_URI}`,
  ];
  const slot = (index: number) => [
    ...audio(slotMids[index] ?? '', 'sendonly'),
    `a=ssrc:${init.slotSsrcs[index]} cname:${init.cname}`,
  ];
  const slotIndexes = init.slotSsrcs.map((_, index) => index);
  const lines = [
    'v=0',
    `o=- ${init.origin.sessionId} ${init.origin.version} IN IP4 ${init.address}`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${mids.join(' ')}`,
    'a=msid-semantic:WMS *',
    ...audio('0', 'recvonly'),
    ...slotIndexes.slice(0, beforeChannel).flatMap(slot),
    `m=application ${init.port} UDP/DTLS/SCTP webrtc-datachannel`,
    ...transport,
    `a=mid:${channelMid}`,
    `a=sctp-port:${SCTP_PORT}`,
    `a=max-message-size:${MAX_MESSAGE_SIZE}`,
    ...slotIndexes.slice(beforeChannel).flatMap(slot),
  ];
  return { sdp: `${lines.join('\r\n')}\r\n`, slotMids, channelMid };
}
