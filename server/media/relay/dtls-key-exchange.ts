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

/** RFC 8410 DER prefixes that wrap a raw 32-byte X25519 key. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const KEY_BYTES = 32;

type Nacl = {
  scalarMult: (secretKey: Uint8Array, publicKey: Uint8Array) => Uint8Array;
  box: { keyPair: () => { publicKey: Uint8Array; secretKey: Uint8Array } };
};

/** The last 32 bytes of a DER key, in a buffer of its own (werift reads `.buffer`). */
function rawKey(der: Buffer): Uint8Array {
  return new Uint8Array(der.subarray(der.length - KEY_BYTES));
}

function privateKeyOf(secretKey: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, secretKey]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** X25519 key pair as tweetnacl's `box.keyPair()` returns it. */
export function x25519KeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: rawKey(publicKey.export({ format: 'der', type: 'spki' })),
    secretKey: rawKey(privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
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
      key: Buffer.concat([SPKI_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
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
