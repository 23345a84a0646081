/**
 * Per-packet protection as SRTP does it with node:crypto, for the fan-out baselines: a fresh
 * cipher per packet keyed by the receiver's context and an IV from the SSRC and sequence number,
 * the RTP header left in clear. Not interoperable SRTP (no key derivation, roll-over counter 0),
 * but the same cryptographic work per packet, which is what the baseline measures.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { Keys, Protection } from './protocol.ts';

/** Bytes SRTP adds after the payload: HMAC-SHA1-80's tag, GCM's tag. Plain pads like GCM. */
export const TAG_BYTES = { plain: 16, 'ctr-hmac': 10, gcm: 16 } as const satisfies Record<
  Protection,
  number
>;

const ROLL_OVER_COUNTER = Buffer.alloc(4);

export function randomKeys(): Keys {
  return { key: randomBytes(16), salt: randomBytes(14), authKey: randomBytes(20) };
}

/** Length of an RTP header with its CSRCs and extension: what SRTP leaves unencrypted. */
export function headerLength(rtp: Buffer): number {
  const csrcs = (rtp[0] ?? 0) & 0x0f;
  let length = 12 + 4 * csrcs;
  if (((rtp[0] ?? 0) & 0x10) !== 0) length += 4 + 4 * rtp.readUInt16BE(length + 2);
  return length;
}

function ctrIv(rtp: Buffer, salt: Uint8Array): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(rtp.readUInt32BE(8), 4);
  iv.writeUInt16BE(rtp.readUInt16BE(2), 12);
  for (let i = 0; i < 14; i++) iv[i] = (iv[i] ?? 0) ^ (salt[i] ?? 0);
  return iv;
}

function gcmIv(rtp: Buffer, salt: Uint8Array): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(rtp.readUInt32BE(8), 2);
  iv.writeUInt16BE(rtp.readUInt16BE(2), 10);
  for (let i = 0; i < 12; i++) iv[i] = (iv[i] ?? 0) ^ (salt[i] ?? 0);
  return iv;
}

function ctrHmacTag(keys: Keys, head: Buffer, body: Buffer): Buffer {
  return createHmac('sha1', keys.authKey)
    .update(head)
    .update(body)
    .update(ROLL_OVER_COUNTER)
    .digest()
    .subarray(0, TAG_BYTES['ctr-hmac']);
}

/** An RTP packet as it goes on the wire under `protection` with `keys`. */
export function protect(protection: Protection, rtp: Buffer, keys: Keys): Buffer {
  const split = headerLength(rtp);
  const head = rtp.subarray(0, split);
  const payload = rtp.subarray(split);
  switch (protection) {
    case 'plain':
      return Buffer.concat([rtp, Buffer.alloc(TAG_BYTES.plain)]);
    case 'ctr-hmac': {
      const body = createCipheriv('aes-128-ctr', keys.key, ctrIv(rtp, keys.salt)).update(payload);
      return Buffer.concat([head, body, ctrHmacTag(keys, head, body)]);
    }
    case 'gcm': {
      const cipher = createCipheriv('aes-128-gcm', keys.key, gcmIv(rtp, keys.salt));
      cipher.setAAD(head);
      const body = cipher.update(payload);
      cipher.final();
      return Buffer.concat([head, body, cipher.getAuthTag()]);
    }
  }
}

/** The RTP packet inside a datagram from `protect`; throws if it does not authenticate. */
export function unprotect(protection: Protection, datagram: Buffer, keys: Keys): Buffer {
  const tagAt = datagram.length - TAG_BYTES[protection];
  const split = headerLength(datagram);
  const head = datagram.subarray(0, split);
  const body = datagram.subarray(split, tagAt);
  const tag = datagram.subarray(tagAt);
  switch (protection) {
    case 'plain':
      return datagram.subarray(0, tagAt);
    case 'ctr-hmac': {
      if (!timingSafeEqual(tag, ctrHmacTag(keys, head, body))) throw new Error('bad tag');
      const payload = createDecipheriv('aes-128-ctr', keys.key, ctrIv(datagram, keys.salt)).update(
        body,
      );
      return Buffer.concat([head, payload]);
    }
    case 'gcm': {
      const decipher = createDecipheriv('aes-128-gcm', keys.key, gcmIv(datagram, keys.salt));
      decipher.setAAD(head);
      decipher.setAuthTag(tag);
      const payload = decipher.update(body);
      decipher.final();
      return Buffer.concat([head, payload]);
    }
  }
}
