import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { nativePipeSeal } from '../relay/native-srtp.ts';

/**
 * Seals piped datagrams so that the pipe port, open to anyone who can send UDP to it, relays
 * nothing it did not get from a worker of the same pool: AES-256-GCM under the pool's pipe key,
 * with a nonce made of the sending worker's id (given by the API, never reused under one key) and
 * a per-datagram counter. A forged or altered datagram fails its tag; a replayed one falls in
 * the receiver's window of counters already seen (SRTP's replay list, RFC 3711 3.3.2), or
 * below it. Piped audio is encrypted too: between hosts it is listeners' audio on the wire.
 *
 * Datagram: sender id (4 bytes) · counter (8 bytes) · ciphertext · tag (16 bytes).
 *
 * Sealed and opened by the native addon where it is built (pipe_seal.c: OpenSSL contexts keyed
 * once, where createCipheriv keys one per datagram), else by node:crypto; both make the same bytes.
 */

const ALGORITHM = 'aes-256-gcm';
const HEADER_BYTES = 12;
const TAG_BYTES = 16;
/** Datagrams may arrive this many counters out of order; older ones are dropped. */
const REPLAY_WINDOW = 1024;

export const PIPE_KEY_BYTES = 32;

/** A fresh key for one pool of workers. */
export function createPipeKey(): Uint8Array {
  return new Uint8Array(randomBytes(PIPE_KEY_BYTES));
}

function checkKey(key: Uint8Array): void {
  if (key.length !== PIPE_KEY_BYTES) throw new RangeError('A pipe key has 32 bytes.');
}

/** Seals one worker's outgoing piped datagrams; `senderId` must be unique under `key`. */
export function createPipeSealer(key: Uint8Array, senderId: number): (body: Buffer) => Buffer {
  const sealing = createPipeSealing(key, senderId);
  return (body) => sealing.seal(sealing.nextHeader(), body);
}

/**
 * A sealer in its two steps, for a sender that may hand the header to the addon to seal and
 * send at once (pipe-sender.ts): every datagram must take its header from `nextHeader`, whichever
 * way it is sealed, so that no nonce repeats.
 */
export function createPipeSealing(key: Uint8Array, senderId: number) {
  checkKey(key);
  if (!Number.isInteger(senderId) || senderId < 0 || senderId > 0xffff_ffff) {
    throw new RangeError(`Invalid pipe sender id ${senderId}.`);
  }
  const native = nativeCipherFor(key);
  let counter = 0;
  return {
    /** The addon's contexts for this key, where it is built. */
    nativeCipher: native?.cipher,
    nextHeader(): Buffer {
      counter++;
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      header.writeUInt32BE(senderId, 0);
      // The 64-bit counter as two words: no BigInt per datagram.
      header.writeUInt32BE(Math.floor(counter / 2 ** 32), 4);
      header.writeUInt32BE(counter >>> 0, 8);
      return header;
    },
    seal(header: Buffer, body: Buffer): Buffer {
      if (native) return native.seal(header, body);
      const cipher = createCipheriv(ALGORITHM, key, header);
      const sealed = cipher.update(body);
      cipher.final();
      return Buffer.concat([header, sealed, cipher.getAuthTag()]);
    },
  };
}

/** The addon's contexts keyed with `key`, where the addon is built. */
function nativeCipherFor(key: Uint8Array) {
  const addon = nativePipeSeal;
  if (!addon) return undefined;
  const cipher = addon.createPipeCipher(key);
  return {
    cipher,
    seal: (header: Buffer, body: Buffer) => addon.sealPipe(cipher, header, body),
    open: (datagram: Buffer) => addon.openPipe(cipher, datagram) ?? undefined,
  };
}

/** The body of a datagram sealed under `key`, or undefined if it fails its tag (node:crypto). */
function openInJavaScript(key: Uint8Array, datagram: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv(ALGORITHM, key, datagram.subarray(0, HEADER_BYTES));
    decipher.setAuthTag(datagram.subarray(datagram.length - TAG_BYTES));
    const body = decipher.update(datagram.subarray(HEADER_BYTES, datagram.length - TAG_BYTES));
    // GCM's final() returns nothing more: it only checks the tag (and throws if it fails).
    decipher.final();
    return body;
  } catch {
    return undefined;
  }
}

export type OpenedDatagram = { senderId: number; body: Buffer };

/** Why a datagram did not open: it failed its tag (or was too short for one), or was seen before. */
export type PipeDropReason = 'forged' | 'replayed';

/**
 * Opens datagrams sealed under `key`: undefined for anything forged, altered, truncated or seen
 * before, with the reason told to `onDrop`. Keeps one replay window per sender.
 */
export function createPipeOpener(key: Uint8Array, onDrop?: (reason: PipeDropReason) => void) {
  checkKey(key);
  const native = nativeCipherFor(key);
  const windows = new Map<number, { highest: number; seen: Float64Array }>();
  return (datagram: Buffer): OpenedDatagram | undefined => {
    if (datagram.length < HEADER_BYTES + TAG_BYTES) {
      onDrop?.('forged');
      return undefined;
    }
    const header = datagram.subarray(0, HEADER_BYTES);
    const senderId = header.readUInt32BE(0);
    const counter = header.readUInt32BE(4) * 2 ** 32 + header.readUInt32BE(8);
    const window = windows.get(senderId);
    const slot = counter % REPLAY_WINDOW;
    if (window && (counter <= window.highest - REPLAY_WINDOW || window.seen[slot] === counter)) {
      onDrop?.('replayed');
      return undefined;
    }
    const body = native ? native.open(datagram) : openInJavaScript(key, datagram);
    if (!body) {
      onDrop?.('forged');
      return undefined;
    }
    // Only an authentic datagram may move the window (or create one).
    if (window) {
      window.seen[slot] = counter;
      window.highest = Math.max(window.highest, counter);
    } else {
      const seen = new Float64Array(REPLAY_WINDOW).fill(-1);
      seen[slot] = counter;
      windows.set(senderId, { highest: counter, seen });
    }
    return { senderId, body };
  };
}
