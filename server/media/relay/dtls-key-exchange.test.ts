import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectWrtcClient, waitFor } from '../../../tests/helpers/relay-peers.ts';
import { useNativeX25519, weriftNacl, x25519, x25519KeyPair } from './dtls-key-exchange.ts';
import { createRelay, type Relay } from './relay.ts';

// werift's handshake, which these patches serve, runs where the native addon is not built.
vi.mock('./native-srtp.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./native-srtp.ts')>()),
  nativeDtls: undefined,
}));

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

describe('X25519 through OpenSSL', () => {
  it('computes RFC 7748 §6.1’s shared secret from either side', () => {
    const alice = bytes('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const alicePublic = bytes('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    const bob = bytes('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const bobPublic = bytes('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(hex(x25519(alice, bobPublic))).toBe(shared);
    expect(hex(x25519(bob, alicePublic))).toBe(shared);
  });

  it('makes key pairs tweetnacl agrees with, each key in a buffer of its own', () => {
    const nacl = weriftNacl();
    const ours = x25519KeyPair();
    const theirs = nacl.box.keyPair();
    // werift copies `secretKey.buffer`, so a key must not sit inside a larger buffer.
    expect(ours.secretKey.buffer.byteLength).toBe(32);
    expect(ours.publicKey.buffer.byteLength).toBe(32);
    expect(hex(x25519(ours.secretKey, theirs.publicKey))).toBe(
      hex(nacl.scalarMult(theirs.secretKey, ours.publicKey)),
    );
    // As werift hands the secret back: a Buffer over the same bytes.
    expect(hex(x25519(Buffer.from(ours.secretKey.buffer), theirs.publicKey))).toBe(
      hex(nacl.scalarMult(theirs.secretKey, ours.publicKey)),
    );
    // And as tweetnacl computes it from the secret alone.
    expect(hex(ours.publicKey)).toBe(hex(nacl.scalarMult.base(ours.secretKey)));
  });

  it('yields zeros for a low-order public key and throws on wrong sizes, as tweetnacl does', () => {
    const { secretKey } = x25519KeyPair();
    expect(hex(x25519(secretKey, new Uint8Array(32)))).toBe('00'.repeat(32));
    expect(() => x25519(secretKey, new Uint8Array(31))).toThrow('bad p size');
    expect(() => x25519(new Uint8Array(5), new Uint8Array(32))).toThrow('bad n size');
  });
});

describe('the relay’s DTLS handshakes in werift', () => {
  let relay: Relay | undefined;
  const closers: (() => Promise<void>)[] = [];

  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(closers.splice(0).map((close) => close()));
    await relay?.stop();
    relay = undefined;
  });

  // Browsers (libwebrtc here) offer X25519 first; libdatachannel offers P-256
  // (p256-key-exchange.test.ts).
  it('compute X25519 through OpenSSL, not tweetnacl, with libwebrtc peers', async () => {
    relay = createRelay({ port: 0, announcedIp: '127.0.0.1' });
    const nacl = weriftNacl();
    // The relay put OpenSSL's X25519 in tweetnacl's place...
    expect(nacl.scalarMult).toBe(useNativeX25519().scalarMult);
    expect(nacl.box.keyPair).toBe(useNativeX25519().keyPair);
    // ...and werift's handshakes go through it: one key pair and one shared secret each.
    const keyPairs = vi.spyOn(nacl.box, 'keyPair');
    const scalarMults = vi.spyOn(nacl, 'scalarMult');
    for (const name of ['first', 'second']) {
      const before = scalarMults.mock.calls.length;
      const { sessionId, offer } = await relay.open('space', name);
      const client = await connectWrtcClient(offer);
      closers.push(() => client.close());
      await relay.answer(sessionId, client.answer);
      await waitFor(() => scalarMults.mock.calls.length > before, `the ${name} key exchange`);
    }
    expect(scalarMults).toHaveBeenCalledTimes(2);
    // werift draws a key pair for every ClientHello, retransmissions included.
    expect(keyPairs.mock.calls.length).toBeGreaterThanOrEqual(2);
  });
});
