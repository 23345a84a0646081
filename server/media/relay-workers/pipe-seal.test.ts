import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nativePipeSeal, nativeSrtpProblem } from '../relay/native-srtp.ts';
import { createPipeKey, createPipeOpener, createPipeSealer } from './pipe-seal.ts';

const body = (n: number) => Buffer.from(`piped packet ${n}`);

describe('sealed pipe datagrams', () => {
  it('open under the pool key, in or out of order', () => {
    const key = createPipeKey();
    const seal = createPipeSealer(key, 7);
    const open = createPipeOpener(key);
    const sealed = [1, 2, 3, 4].map((n) => seal(body(n)));
    // On the wire the audio is not readable.
    expect(sealed[0]!.includes(Buffer.from('piped packet'))).toBe(false);
    for (const index of [0, 2, 1, 3]) {
      expect(open(sealed[index]!)).toEqual({ senderId: 7, body: body(index + 1) });
    }
  });

  it('drop forged, altered, truncated and replayed datagrams', () => {
    const key = createPipeKey();
    const seal = createPipeSealer(key, 1);
    const open = createPipeOpener(key);
    const first = seal(body(1));
    expect(open(first)).toBeDefined();
    expect(open(first)).toBeUndefined();
    // Sealed with another key: a stranger's, or a pool the receiver is not part of.
    expect(open(createPipeSealer(createPipeKey(), 1)(body(2)))).toBeUndefined();
    const second = seal(body(2));
    for (const at of [0, 5, 14, second.length - 1]) {
      const altered = Buffer.from(second);
      altered[at]! ^= 1;
      expect(open(altered)).toBeUndefined();
    }
    expect(open(second.subarray(0, 20))).toBeUndefined();
    expect(open(Buffer.alloc(0))).toBeUndefined();
    expect(open(second)).toEqual({ senderId: 1, body: body(2) });
    expect(open(second)).toBeUndefined();
  });

  it('drop a datagram older than the replay window', () => {
    const key = createPipeKey();
    const seal = createPipeSealer(key, 2);
    const open = createPipeOpener(key);
    const old = seal(body(0));
    let last = old;
    for (let n = 1; n <= 1100; n++) last = seal(body(n));
    expect(open(last)).toBeDefined();
    expect(open(old)).toBeUndefined();
  });

  it('are the bytes node:crypto seals and opens, so workers with and without the addon pipe to each other', () => {
    if (process.env['AMPHI_REQUIRE_NATIVE_SRTP']) expect(nativeSrtpProblem).toBeUndefined();
    const key = createPipeKey();
    const sealed = createPipeSealer(key, 9)(body(1));
    const nonce = sealed.subarray(0, 12);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    expect(
      Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]),
    ).toEqual(body(1));

    const header = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1]);
    const cipher = createCipheriv('aes-256-gcm', key, header);
    const foreign = Buffer.concat([
      header,
      cipher.update(body(2)),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    expect(createPipeOpener(key)(foreign)).toEqual({ senderId: 4, body: body(2) });
    expect(nativePipeSeal !== undefined || nativeSrtpProblem !== undefined).toBe(true);
  });
});
