import type { StunIntegrity } from './stun-integrity.ts';

export const HEADER_BYTES = 20;
export const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const USERNAME = 0x0006;
export const MESSAGE_INTEGRITY = 0x0008;
const USE_CANDIDATE = 0x0025;
const INTEGRITY_BYTES = 20;

/** A STUN binding request as the UDP demultiplexer sees it (RFC 8489, RFC 8445 §7.2). */
export type BindingRequest = {
  /** The receiver's username fragment: the part of USERNAME before the colon. */
  localUfrag: string;
  /** Whether the controlling agent nominates the pair it was sent on (USE-CANDIDATE). */
  nominates: boolean;
  /** The 12 bytes a response repeats. */
  transactionId: Buffer;
  /** Whether MESSAGE-INTEGRITY holds under the receiver's ICE password (short-term credential). */
  verify(integrity: StunIntegrity): boolean;
};

/**
 * Reads a datagram as a STUN binding request carrying USERNAME and MESSAGE-INTEGRITY; anything
 * else (RTP, RTCP, DTLS, STUN responses, malformed requests) yields undefined. It only slices
 * the buffer, so it is cheap enough to try on every datagram whose first byte is below 2.
 */
export function parseBindingRequest(data: Buffer): BindingRequest | undefined {
  if (data.length < HEADER_BYTES || data.readUInt16BE(0) !== BINDING_REQUEST) return undefined;
  if (data.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  const end = HEADER_BYTES + data.readUInt16BE(2);
  if (end > data.length) return undefined;
  let username: string | undefined;
  let integrityAt: number | undefined;
  let nominates = false;
  for (let offset = HEADER_BYTES; offset + 4 <= end; ) {
    const type = data.readUInt16BE(offset);
    const length = data.readUInt16BE(offset + 2);
    const value = offset + 4;
    if (value + length > end) return undefined;
    if (type === USERNAME) username = data.toString('utf8', value, value + length);
    if (type === USE_CANDIDATE) nominates = true;
    if (type === MESSAGE_INTEGRITY) {
      if (length !== INTEGRITY_BYTES) return undefined;
      integrityAt = offset;
      // Only FINGERPRINT may follow, and it is not covered by the integrity.
      break;
    }
    offset = value + Math.ceil(length / 4) * 4;
  }
  const colon = username?.indexOf(':') ?? -1;
  if (username === undefined || colon < 1 || integrityAt === undefined) return undefined;
  const at = integrityAt;
  return {
    localUfrag: username.slice(0, colon),
    nominates,
    transactionId: data.subarray(8, HEADER_BYTES),
    verify: (integrity) => integrity.verify(data, at),
  };
}
