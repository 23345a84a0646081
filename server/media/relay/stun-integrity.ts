import { createHmac, timingSafeEqual } from 'node:crypto';
import { nativeStun } from './native-srtp.ts';

const HEADER_BYTES = 20;
const INTEGRITY_BYTES = 20;

/**
 * STUN MESSAGE-INTEGRITY under one session's ICE password (RFC 8489 §14.5), keyed once. The
 * header's length field is taken as counting up to the end of MESSAGE-INTEGRITY, as the RFC
 * computes it, whatever the message's own says (a FINGERPRINT may follow).
 */
export type StunIntegrity = {
  /** Whether the 20-byte value after the attribute header at `integrityAt` holds. */
  verify(message: Buffer, integrityAt: number): boolean;
  /** Writes the value after the attribute header at `integrityAt`. */
  sign(message: Buffer, integrityAt: number): void;
};

function fits(message: Buffer, integrityAt: number): boolean {
  return integrityAt >= HEADER_BYTES && integrityAt + 4 + INTEGRITY_BYTES <= message.length;
}

/** node:crypto's HMAC, keyed anew for every message: where the addon is not built. */
export function createJsStunIntegrity(password: string): StunIntegrity {
  const key = Buffer.from(password, 'utf8');
  const integrityOf = (message: Buffer, integrityAt: number) => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(integrityAt + 4 + INTEGRITY_BYTES - HEADER_BYTES);
    return createHmac('sha1', key)
      .update(message.subarray(0, 2))
      .update(length)
      .update(message.subarray(4, integrityAt))
      .digest();
  };
  return {
    verify(message, integrityAt) {
      if (!fits(message, integrityAt)) return false;
      const received = message.subarray(integrityAt + 4, integrityAt + 4 + INTEGRITY_BYTES);
      return timingSafeEqual(integrityOf(message, integrityAt), received);
    },
    sign(message, integrityAt) {
      if (!fits(message, integrityAt)) throw new RangeError('No room for MESSAGE-INTEGRITY.');
      integrityOf(message, integrityAt).copy(message, integrityAt + 4);
    },
  };
}

/**
 * The addon's HMAC context keyed once for the session (stun_integrity.c), or node:crypto's
 * where the addon is not built.
 */
export function createStunIntegrity(password: string): StunIntegrity {
  if (!nativeStun) return createJsStunIntegrity(password);
  const stun = nativeStun;
  const context = stun.createStunIntegrity(Buffer.from(password, 'utf8'));
  return {
    verify: (message, integrityAt) =>
      fits(message, integrityAt) && stun.verifyStun(context, message, integrityAt),
    sign(message, integrityAt) {
      if (!fits(message, integrityAt)) throw new RangeError('No room for MESSAGE-INTEGRITY.');
      stun.signStun(context, message, integrityAt);
    },
  };
}
