import { createECDH, type ECDH } from 'node:crypto';
import { p256 } from '@noble/curves/p256';

/*
 * A client that lists P-256 first (libdatachannel does; browsers list X25519 first) gets a DTLS
 * key exchange that werift computes with @noble/curves: three P-256 scalar multiplications in
 * JavaScript, 7-8 ms of the relay's event loop per handshake here, during which no listener gets
 * a packet. OpenSSL (node:crypto) does the same in ~0.2 ms. werift calls
 * `p256.utils.randomPrivateKey()`, `p256.getPublicKey(secret, false)` and
 * `p256.getSharedSecret(secret, public)` on the @noble/curves instance it imports, of which
 * only the x coordinate is used (RFC 8422 §5.10: the premaster secret), so the relay puts
 * OpenSSL's P-256 in their place. Nothing else in a relay process uses @noble/curves;
 * p256-key-exchange.test.ts fails if werift stops going through these.
 */

const CURVE = 'prime256v1';
const SCALAR_BYTES = 32;
/**
 * Secrets drawn here whose handshake has not reached its shared secret yet, by their bytes (werift
 * keeps a copy of the secret, not the array it was given). Setting a secret on a new ECDH object
 * computes its public key again, a scalar multiplication as costly as the exchange's own; this
 * keeps each key pair's object from its draw to its exchange. Bounded: a handshake that stops
 * half-way leaves its entry, and the oldest go first (their exchange then sets the key again).
 */
const drawn = new Map<string, ECDH>();
const DRAWN_KEPT = 4096;

function keyOf(secretKey: Uint8Array): string {
  return Buffer.from(secretKey.buffer, secretKey.byteOffset, secretKey.byteLength).toString('hex');
}

function ecdhOf(secretKey: Uint8Array): ECDH {
  const kept = drawn.get(keyOf(secretKey));
  if (kept) return kept;
  const ecdh = createECDH(CURVE);
  ecdh.setPrivateKey(secretKey);
  return ecdh;
}

/** A random P-256 secret scalar, 32 bytes big-endian, as noble's `randomPrivateKey`. */
export function p256SecretKey(): Uint8Array {
  const ecdh = createECDH(CURVE);
  ecdh.generateKeys();
  const secret = ecdh.getPrivateKey();
  const padded = new Uint8Array(SCALAR_BYTES);
  padded.set(secret, SCALAR_BYTES - secret.length);
  if (drawn.size >= DRAWN_KEPT) {
    const oldest = drawn.keys().next();
    if (!oldest.done) drawn.delete(oldest.value);
  }
  drawn.set(keyOf(padded), ecdh);
  return padded;
}

/** The SEC1 public key of `secretKey`, as noble's `getPublicKey`. */
export function p256PublicKey(secretKey: Uint8Array, isCompressed = true): Uint8Array {
  return new Uint8Array(
    ecdhOf(secretKey).getPublicKey(null, isCompressed ? 'compressed' : 'uncompressed'),
  );
}

/**
 * The ECDH shared point's x coordinate behind a one-byte prefix, where noble returns the whole
 * point, compressed (prefix 02 or 03, then x). OpenSSL yields x alone, so the prefix here is
 * always 02: werift drops it. Throws on a public key off the curve, as noble does. A drawn
 * secret serves one exchange (werift draws one per handshake), so it is forgotten here.
 */
export function p256SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const ecdh = ecdhOf(secretKey);
  drawn.delete(keyOf(secretKey));
  const x = ecdh.computeSecret(publicKey);
  const shared = new Uint8Array(1 + x.length);
  shared[0] = 0x02;
  shared.set(x, 1);
  return shared;
}

let installed = false;

/** Makes werift's P-256 key exchange use OpenSSL; idempotent. */
export function useNativeP256(): void {
  if (installed) return;
  installed = true;
  p256.utils.randomPrivateKey = p256SecretKey;
  Object.assign(p256, {
    getPublicKey: (secretKey: Uint8Array, isCompressed?: boolean) =>
      p256PublicKey(secretKey, isCompressed),
    getSharedSecret: (secretKey: Uint8Array, publicKey: Uint8Array) =>
      p256SharedSecret(secretKey, publicKey),
  });
}
