import { createECDH } from 'node:crypto';
import { p256 } from '@noble/curves/p256';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectLibsrtpListener } from '../../../tests/helpers/libsrtp-listener.ts';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import {
  p256PublicKey,
  p256SecretKey,
  p256SharedSecret,
  useNativeP256,
} from './p256-key-exchange.ts';
import { createRelay, type Relay } from './relay.ts';

// werift's handshake, which these patches serve, runs where the native addon is not built.
vi.mock('./native-srtp.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./native-srtp.ts')>()),
  nativeDtls: undefined,
}));

const noble = {
  publicKey: p256.getPublicKey,
  sharedSecret: p256.getSharedSecret,
};
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('P-256 through OpenSSL', () => {
  it('agrees with @noble/curves on public keys and on the shared x coordinate', () => {
    const ours = p256SecretKey();
    const theirs = p256.utils.randomPrivateKey();
    expect(ours).toHaveLength(32);
    expect(hex(p256PublicKey(ours, false))).toBe(hex(noble.publicKey(ours, false)));
    expect(hex(p256PublicKey(ours))).toBe(hex(noble.publicKey(ours, true)));
    const shared = p256SharedSecret(ours, noble.publicKey(theirs, false));
    expect(hex(shared.subarray(1))).toBe(
      hex(noble.sharedSecret(theirs, p256PublicKey(ours, false)).subarray(1)),
    );
    expect(() => p256SharedSecret(ours, new Uint8Array(65).fill(4))).toThrow();
  });
});

describe('the relay’s DTLS handshakes in werift with a client that lists P-256 first', () => {
  let relay: Relay | undefined;
  const closers: (() => unknown)[] = [];

  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(closers.splice(0).map((close) => close()));
    await relay?.stop();
    relay = undefined;
  });

  it('compute the key exchange through OpenSSL, and the listener connects', async () => {
    relay = createRelay({ port: 0, announcedIp: '127.0.0.1' });
    useNativeP256();
    expect(p256.getSharedSecret).not.toBe(noble.sharedSecret);
    const exchanges = vi.spyOn(p256, 'getSharedSecret');
    const { sessionId, offer } = await relay.open('space', 'listener');
    const listener = await connectLibsrtpListener(offer);
    closers.push(() => listener.close());
    await relay.answer(sessionId, listener.answer);
    await waitFor(() => listener.isConnected(), 'the libdatachannel listener');
    expect(exchanges).toHaveBeenCalledTimes(1);
    expect(exchanges.mock.results[0]?.value).toHaveLength(33);
  });
});

describe('a P-256 key drawn for a handshake', () => {
  it('yields its public key and shared secret without setting the secret on a new ECDH', () => {
    const setPrivateKey = vi.spyOn(
      Object.getPrototypeOf(createECDH('prime256v1')),
      'setPrivateKey',
    );
    const ours = p256SecretKey();
    const theirs = p256.utils.randomPrivateKey();
    const publicKey = p256PublicKey(ours, false);
    // werift keeps a copy of the secret, not the array it drew.
    const shared = p256SharedSecret(Uint8Array.from(ours), noble.publicKey(theirs, false));
    expect(hex(publicKey)).toBe(hex(noble.publicKey(ours, false)));
    expect(hex(shared.subarray(1))).toBe(hex(noble.sharedSecret(theirs, publicKey).subarray(1)));
    expect(setPrivateKey).not.toHaveBeenCalled();
    setPrivateKey.mockRestore();
  });
});
