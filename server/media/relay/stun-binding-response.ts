import { isIPv4 } from 'node:net';
import { crc32 } from 'node:zlib';
import { HEADER_BYTES, MAGIC_COOKIE, MESSAGE_INTEGRITY } from './stun-binding.ts';
import type { StunIntegrity } from './stun-integrity.ts';

const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;
const FINGERPRINT = 0x8028;
const FINGERPRINT_XOR = 0x5354554e;
const MAPPED_AT = HEADER_BYTES;
const INTEGRITY_AT = MAPPED_AT + 4 + 8;
const FINGERPRINT_AT = INTEGRITY_AT + 4 + 20;
const RESPONSE_BYTES = FINGERPRINT_AT + 4 + 4;

/**
 * Encodes the success response to a binding request from an IPv4 address (RFC 8489 §14.2, §14.5,
 * §14.7): XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY under the local ICE password, FINGERPRINT. By
 * hand, not with werift's Message: every joiner's checks are answered on the relay's one thread,
 * and werift's encoder serialises the message again for each attribute it adds (a quarter of
 * the relay's ICE work in a burst of joins). The HMAC is the session's keyed one, the CRC node:zlib's.
 */
export function bindingSuccess(
  transactionId: Buffer,
  address: readonly [string, number],
  integrity: StunIntegrity,
): Buffer | undefined {
  const [ip, port] = address;
  if (transactionId.length !== 12 || !isIPv4(ip)) return undefined;
  const out = Buffer.alloc(RESPONSE_BYTES);
  out.writeUInt16BE(BINDING_SUCCESS, 0);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(out, 8);
  out.writeUInt16BE(XOR_MAPPED_ADDRESS, MAPPED_AT);
  out.writeUInt16BE(8, MAPPED_AT + 2);
  out[MAPPED_AT + 5] = 0x01;
  out.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), MAPPED_AT + 6);
  let octets = 0;
  for (const part of ip.split('.')) octets = ((octets << 8) | Number(part)) >>> 0;
  out.writeUInt32BE((octets ^ MAGIC_COOKIE) >>> 0, MAPPED_AT + 8);
  out.writeUInt16BE(MESSAGE_INTEGRITY, INTEGRITY_AT);
  out.writeUInt16BE(20, INTEGRITY_AT + 2);
  out.writeUInt16BE(RESPONSE_BYTES - HEADER_BYTES, 2);
  integrity.sign(out, INTEGRITY_AT);
  out.writeUInt16BE(FINGERPRINT, FINGERPRINT_AT);
  out.writeUInt16BE(4, FINGERPRINT_AT + 2);
  out.writeUInt32BE(
    (crc32(out.subarray(0, FINGERPRINT_AT)) ^ FINGERPRINT_XOR) >>> 0,
    FINGERPRINT_AT + 4,
  );
  return out;
}
