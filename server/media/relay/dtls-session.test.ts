import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CipherContext,
  DtlsClient,
  DtlsServer,
  keyLength,
  ProtectionProfileAeadAes128Gcm,
  RtpHeader,
  RtpPacket,
  SrtpSession,
  saltLength,
} from 'werift';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { relayCertificate } from './dtls-certificate.ts';
import { createDtlsSession, type SrtpKeys } from './dtls-session.ts';
import { nativeDtls } from './native-srtp.ts';
import { localSrtpContext } from './srtp-keys.ts';

const FROM = ['127.0.0.1', 5000] as const;

type Implementation = 'native' | 'werift';
/** OpenSSL's where the addon is built (AMPHI_REQUIRE_NATIVE_SRTP makes the suite require it), and werift's. */
const IMPLEMENTATIONS: Implementation[] = nativeDtls ? ['native', 'werift'] : ['werift'];

/** The @fidm/x509 werift parses certificates and keys with (its own dependency). */
type X509 = {
  Certificate: { fromPEM(pem: Buffer): unknown };
  PrivateKey: { fromPEM(pem: Buffer): unknown };
};
const x509 = createRequire(createRequire(import.meta.url).resolve('werift'))('@fidm/x509') as X509;

/**
 * A DTLS peer (werift's, as a browser would be) wired to a relay-side session in memory: the
 * client, or the server where the relay is the client (an answer with `setup:passive`).
 */
async function handshakeParts(
  implementation: Implementation,
  relayRole: 'server' | 'client' = 'server',
) {
  const clientCertificate = await CipherContext.createSelfSignedCertificateWithKey({
    hash: 4,
    signature: 3,
  });
  const fingerprint = {
    algorithm: 'sha-256',
    value: new X509Certificate(clientCertificate.certPem).fingerprint256,
  };
  const clientTransport = {
    type: 'udp',
    address: {} as AddressInfo,
    closed: false,
    onData: (_data: Buffer, _from: readonly [string, number]) => {},
    send: async (datagram: Buffer) => session.receive(datagram, FROM),
    close: async () => {},
  };
  const events = { keys: undefined as SrtpKeys | undefined, data: [] as string[], closed: 0 };
  const session = createDtlsSession(
    {
      role: relayRole,
      certificate: await relayCertificate(),
      send: (datagram) => clientTransport.onData(datagram, FROM),
      onConnected: (keys) => {
        events.keys = keys;
      },
      onData: (data) => events.data.push(data.toString()),
      onClosed: () => {
        events.closed++;
      },
    },
    implementation,
  );
  const options = {
    transport: clientTransport,
    cert: clientCertificate.certPem,
    key: clientCertificate.keyPem,
    signatureHash: clientCertificate.signatureHash,
    srtpProfiles: [ProtectionProfileAeadAes128Gcm],
    extendedMasterSecret: true,
  };
  const client =
    relayRole === 'server'
      ? new DtlsClient(options)
      : new DtlsServer({ ...options, certificateRequest: true });
  const heard: string[] = [];
  client.onData.subscribe((data) => heard.push(data.toString()));
  let handshaken = false;
  client.onConnect.once(() => {
    handshaken = true;
  });
  if (client instanceof DtlsClient) void client.connect();
  await waitFor(() => handshaken, 'the client’s handshake');
  return { session, client, events, heard, fingerprint };
}

describe.each(IMPLEMENTATIONS)('createDtlsSession (%s)', (implementation) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('handshakes without parsing the relay’s certificate or key again for each session', async () => {
    (await handshakeParts(implementation)).session.close();
    const parses = [vi.spyOn(x509.Certificate, 'fromPEM'), vi.spyOn(x509.PrivateKey, 'fromPEM')];
    const { session, events, fingerprint } = await handshakeParts(implementation);
    session.expectFingerprint(fingerprint);
    expect(events.keys?.local.srtpSessionKey.length).toBe(16);
    // The client's own certificate and key (werift parses them for its session) are the only ones.
    for (const parse of parses) expect(parse).toHaveBeenCalledTimes(1);
    session.close();
  });

  it('connects once the answer’s fingerprint matches, and carries data both ways after dropping the handshake', async () => {
    const { session, client, events, heard, fingerprint } = await handshakeParts(implementation);
    // The client finished before its answer came: data waits, nothing counts as connected.
    await client.send(Buffer.from('early'));
    await sleep(50);
    expect(events.keys).toBeUndefined();
    expect(events.data).toEqual([]);

    session.expectFingerprint(fingerprint);
    expect(events.keys?.local.srtpSessionKey.length).toBe(16);
    expect(events.data).toEqual(['early']);

    // The client sent application data: the session dropped its handshake state, and goes on.
    await session.send(Buffer.from('to the client'));
    await client.send(Buffer.from('to the relay'));
    await waitFor(() => heard.length > 0 && events.data.length > 1, 'data both ways');
    expect(heard).toEqual(['to the client']);
    expect(events.data).toEqual(['early', 'to the relay']);
    expect(events.closed).toBe(0);
    session.close();
  });

  it('keys SRTP both ways as the client does, whichever way the relay’s keys were derived', async () => {
    const { session, client, events, fingerprint } = await handshakeParts(implementation);
    session.expectFingerprint(fingerprint);
    const profile = client.srtp.srtpProfile ?? ProtectionProfileAeadAes128Gcm;
    const exported = client.extractSessionKeys(keyLength(profile), saltLength(profile));
    const clientSrtp = new SrtpSession({
      keys: {
        localMasterKey: exported.localKey as Buffer,
        localMasterSalt: exported.localSalt as Buffer,
        remoteMasterKey: exported.remoteKey as Buffer,
        remoteMasterSalt: exported.remoteSalt as Buffer,
      },
      profile,
    });
    const relayKeys = clientSrtp.remoteContext;
    // The first context is taken from a whole session, later ones from werift's class alone.
    for (const local of [
      events.keys?.local,
      localSrtpContext(exported.remoteKey as Buffer, exported.remoteSalt as Buffer, profile),
    ]) {
      expect(local?.srtpSessionKey).toEqual(relayKeys.srtpSessionKey);
      expect(local?.srtpSessionSalt).toEqual(relayKeys.srtpSessionSalt);
      expect(local?.srtpSessionAuthTag).toEqual(relayKeys.srtpSessionAuthTag);
    }
    const header = new RtpHeader({
      ssrc: 1234,
      sequenceNumber: 7,
      timestamp: 960,
      payloadType: 111,
    });
    const sent = clientSrtp.encrypt(Buffer.from('microphone'), header);
    const heard = RtpPacket.deSerialize(events.keys?.srtp.decrypt(sent) ?? Buffer.alloc(0));
    expect(heard.payload.toString()).toBe('microphone');
    session.close();
  });

  it('as the DTLS client (an answer with setup:passive), connects and carries data both ways', async () => {
    const { session, client, events, heard, fingerprint } = await handshakeParts(
      implementation,
      'client',
    );
    session.expectFingerprint(fingerprint);
    expect(events.keys?.local.srtpSessionKey.length).toBe(16);
    await session.send(Buffer.from('to the server'));
    await client.send(Buffer.from('to the relay'));
    await waitFor(() => heard.length > 0 && events.data.length > 0, 'data both ways');
    expect(heard).toEqual(['to the server']);
    expect(events.data).toEqual(['to the relay']);
    session.close();
  });

  it('refuses a client whose certificate is not the one its answer names', async () => {
    const { session, events, fingerprint } = await handshakeParts(implementation);
    session.expectFingerprint({ ...fingerprint, value: fingerprint.value.replace(/^../, '00') });
    expect(events.keys).toBeUndefined();
    expect(events.closed).toBe(1);
    await session.send(Buffer.from('nothing goes out'));
  });
});

describe('createDtlsSession (native)', () => {
  it.runIf(nativeDtls)(
    'refuses a client that presents a certificate whose private key it does not hold',
    async () => {
      // The certificate the answer names, sent by a client that signs with another key: werift's
      // own server never checks CertificateVerify; OpenSSL does.
      const [named, other] = await Promise.all(
        [0, 1].map(() =>
          CipherContext.createSelfSignedCertificateWithKey({ hash: 4, signature: 3 }),
        ),
      );
      if (!named || !other) throw new Error('no certificates');
      const transport = {
        type: 'udp',
        address: {} as AddressInfo,
        closed: false,
        onData: (_data: Buffer, _from: readonly [string, number]) => {},
        send: async (datagram: Buffer) => session.receive(datagram, FROM),
        close: async () => {},
      };
      let closed = 0;
      let connected = false;
      const session = createDtlsSession(
        {
          role: 'server',
          certificate: await relayCertificate(),
          send: (datagram) => transport.onData(datagram, FROM),
          onConnected: () => {
            connected = true;
          },
          onData: () => {},
          onClosed: () => {
            closed++;
          },
        },
        'native',
      );
      session.expectFingerprint({
        algorithm: 'sha-256',
        value: new X509Certificate(named.certPem).fingerprint256,
      });
      const impostor = new DtlsClient({
        transport,
        cert: named.certPem,
        key: other.keyPem,
        signatureHash: named.signatureHash,
        srtpProfiles: [ProtectionProfileAeadAes128Gcm],
        extendedMasterSecret: true,
      });
      void impostor.connect().catch(() => {});
      await waitFor(() => closed > 0, 'the relay refusing the handshake');
      expect(connected).toBe(false);
      session.close();
      impostor.close();
    },
  );
});
