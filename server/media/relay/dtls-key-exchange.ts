import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { createRequire } from 'node:module';

/*
 * werift 0.24 computes each DTLS handshake's X25519 key exchange with tweetnacl: two scalar
 * multiplications in JavaScript, 2-6 ms of the event loop per handshake on these machines (12-24
 * ms for the first ones), during which no listener of the relay gets a packet. Every browser
 * offers X25519 first, so every join stalled the whole relay that long. OpenSSL (through
 * node:crypto) does the same work in 0.2-0.3 ms here. werift's bundle calls `nacl.box.keyPair()` and
 * `nacl.scalarMult(secret, public)` on the tweetnacl instance it imports at each handshake, so
 * the relay gives that instance OpenSSL's X25519, with tweetnacl's exact inputs and outputs
 * (RFC 7748 X25519 both ways). dtls-key-exchange.test.ts fails if werift stops going through it.
 * A client that offers P-256 first (libdatachannel does) goes through p256-key-exchange.ts.
 */

/** RFC 8410 DER prefix that wraps a raw 32-byte X25519 private key. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const KEY_BYTES = 32;

type Nacl = {
  scalarMult: ((secretKey: Uint8Array, publicKey: Uint8Array) => Uint8Array) & {
    base: (secretKey: Uint8Array) => Uint8Array;
  };
  box: { keyPair: () => { publicKey: Uint8Array; secretKey: Uint8Array } };
};

/*
 * Keys cross as raw bytes (tweetnacl's interface) and go into OpenSSL as JWK: OpenSSL 3 decodes
 * DER through its generic decoders, 0.1 ms for a public key and 0.6 ms for a private one here,
 * where a JWK becomes a key directly (0.01-0.04 ms). A private key this module drew is kept by
 * its bytes' ArrayBuffer (werift wraps that same buffer), so the shared secret needs no import.
 */
const drawn = new WeakMap<ArrayBufferLike, KeyObject>();

/** A key's own 32 bytes from JWK base64url, in a buffer of its own (werift reads `.buffer`). */
function rawKey(base64url: string | undefined): Uint8Array {
  return new Uint8Array(Buffer.from(base64url ?? '', 'base64url'));
}

function privateKeyOf(secretKey: Uint8Array): KeyObject {
  const key = secretKey.byteLength === KEY_BYTES ? drawn.get(secretKey.buffer) : undefined;
  if (key) return key;
  // Any other secret (a JWK private key needs its public half too, which would cost a scalar
  // multiplication to compute here).
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, secretKey]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** X25519 key pair as tweetnacl's `box.keyPair()` returns it. */
export function x25519KeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const { privateKey } = generateKeyPairSync('x25519');
  const { x, d } = privateKey.export({ format: 'jwk' });
  const secretKey = rawKey(d);
  drawn.set(secretKey.buffer, privateKey);
  return { publicKey: rawKey(x), secretKey };
}

/**
 * X25519(secretKey, publicKey) as tweetnacl's `scalarMult`: throws on wrong sizes, and yields
 * zeros for a low-order public key (OpenSSL refuses it; the handshake then fails as before).
 */
export function x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (secretKey.length !== KEY_BYTES) throw new Error('bad n size');
  if (publicKey.length !== KEY_BYTES) throw new Error('bad p size');
  try {
    const remote = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(publicKey).toString('base64url') },
      format: 'jwk',
    });
    return new Uint8Array(
      diffieHellman({ privateKey: privateKeyOf(secretKey), publicKey: remote }),
    );
  } catch {
    return new Uint8Array(KEY_BYTES);
  }
}

/** The tweetnacl instance werift imports (its own dependency, resolved from werift). */
export function weriftNacl(): Nacl {
  const fromWerift = createRequire(createRequire(import.meta.url).resolve('werift'));
  return fromWerift('tweetnacl') as Nacl;
}

let installed: { scalarMult: Nacl['scalarMult']; keyPair: Nacl['box']['keyPair'] } | undefined;

/**
 * Makes werift's DTLS key exchange use OpenSSL's X25519; idempotent. Returns the functions put
 * in tweetnacl's place.
 */
export function useNativeX25519(): NonNullable<typeof installed> {
  if (installed) return installed;
  const nacl = weriftNacl();
  // Keeps tweetnacl's other members (`scalarMult.base`, the lengths) for anyone else using it.
  installed = {
    scalarMult: Object.assign(
      (secretKey: Uint8Array, publicKey: Uint8Array) => x25519(secretKey, publicKey),
      nacl.scalarMult,
    ),
    keyPair: Object.assign(() => x25519KeyPair(), nacl.box.keyPair),
  };
  nacl.scalarMult = installed.scalarMult;
  nacl.box.keyPair = installed.keyPair;
  return installed;
}
