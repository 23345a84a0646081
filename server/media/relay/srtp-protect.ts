import { createCipheriv, createHmac } from 'node:crypto';
import type { OutgoingRtp } from './outgoing-rtp.ts';

/** werift's SRTP profile numbers (RFC 5764 / RFC 7714). */
export const AES_CM_128_HMAC_SHA1_80 = 0x0001;
export const AEAD_AES_128_GCM = 0x0007;
const HMAC_TAG_BYTES = 10;
const RTP_HEADER_BYTES = 12;
/** RFC 8285 one-byte extension block holding one element of up to 3 bytes. */
const LEVEL_EXTENSION_BYTES = 8;

/**
 * The session keys of a werift 0.24 SRTP context (its session's public `localContext`). Only the
 * keys: werift's own roll-over tracking (`updateRolloverCount`) guesses the counter from
 * sequence numbers with a shortcut that disagrees with RFC 3711 §3.3.1 (and libsrtp) after a
 * jump across the wrap, so the relay counts its own (slot-stream.ts).
 */
export type SrtpContext = {
  profile: number;
  srtpSessionKey: Buffer;
  srtpSessionSalt: Buffer;
  srtpSessionAuthTag: Buffer;
};

export function isSrtpContext(value: unknown): value is SrtpContext {
  const context = value as Partial<SrtpContext> | undefined;
  return (
    Buffer.isBuffer(context?.srtpSessionKey) &&
    Buffer.isBuffer(context.srtpSessionSalt) &&
    (context.profile === AEAD_AES_128_GCM ||
      (context.profile === AES_CM_128_HMAC_SHA1_80 && Buffer.isBuffer(context.srtpSessionAuthTag)))
  );
}

/** Writes the RTP header of one copy; returns its length. */
function writeHeader(
  out: Buffer,
  packet: OutgoingRtp,
  payloadType: number,
  ssrc: number,
  levelId: number | undefined,
): number {
  const level = levelId === undefined ? undefined : packet.levelPayload;
  const withLevel = level !== undefined && level.length >= 1 && level.length <= 3;
  out[0] = withLevel ? 0x90 : 0x80;
  out[1] = (packet.marker ? 0x80 : 0) | (payloadType & 0x7f);
  out.writeUInt16BE(packet.sequenceNumber, 2);
  out.writeUInt32BE(packet.timestamp, 4);
  out.writeUInt32BE(ssrc, 8);
  if (!withLevel) return RTP_HEADER_BYTES;
  out.writeUInt32BE(0xbede0001, 12);
  out.writeUInt32BE(0, 16);
  out[16] = ((levelId ?? 0) << 4) | (level.length - 1);
  level.copy(out, 17);
  return RTP_HEADER_BYTES + LEVEL_EXTENSION_BYTES;
}

function encrypt(context: SrtpContext, header: Buffer, payload: Buffer, roc: number): Buffer[] {
  const ssrc = header.readUInt32BE(8);
  const sequenceNumber = header.readUInt16BE(2);
  const salt = context.srtpSessionSalt;
  if (context.profile === AEAD_AES_128_GCM) {
    const iv = Buffer.allocUnsafe(12);
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc, 2);
    iv.writeUInt32BE(roc, 6);
    iv.writeUInt16BE(sequenceNumber, 10);
    for (let i = 0; i < 12; i++) iv[i]! ^= salt[i]!;
    const cipher = createCipheriv('aes-128-gcm', context.srtpSessionKey, iv);
    cipher.setAAD(header);
    const body = cipher.update(payload);
    cipher.final();
    return [header, body, cipher.getAuthTag()];
  }
  const counter = Buffer.alloc(16);
  counter.writeUInt32BE(ssrc, 4);
  counter.writeUInt32BE(roc, 8);
  counter.writeUInt16BE(sequenceNumber, 12);
  for (let i = 0; i < salt.length; i++) counter[i]! ^= salt[i]!;
  const body = createCipheriv('aes-128-ctr', context.srtpSessionKey, counter).update(payload);
  const rocBytes = Buffer.allocUnsafe(4);
  rocBytes.writeUInt32BE(roc);
  const tag = createHmac('sha1', context.srtpSessionAuthTag)
    .update(header)
    .update(body)
    .update(rocBytes)
    .digest()
    .subarray(0, HMAC_TAG_BYTES);
  return [header, body, tag];
}

/**
 * One listener's SRTP datagram for `packet` (RFC 3711, RFC 7714), as parts to send together:
 * header, encrypted payload, tag. `rolloverCounter` is this listener's (the slot's counter minus
 * the slot's at the listener's first packet: see srtp-egress.ts).
 *
 * Written here rather than taken from a library: no npm package protects SRTP but werift (whose
 * roll-over counter is wrong, see SrtpContext) and libsrtp is not reachable from npm. The
 * cryptography is node:crypto's; only the framing is ours, checked against libsrtp receivers.
 */
export function protectRtp(
  context: SrtpContext,
  packet: OutgoingRtp,
  payloadType: number,
  ssrc: number,
  levelId: number | undefined,
  rolloverCounter: number,
): Buffer[] {
  const header = Buffer.allocUnsafe(RTP_HEADER_BYTES + LEVEL_EXTENSION_BYTES);
  const length = writeHeader(header, packet, payloadType, ssrc, levelId);
  return encrypt(context, header.subarray(0, length), packet.payload, rolloverCounter);
}
