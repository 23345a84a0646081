import type { AddressInfo } from 'node:net';
import {
  DtlsClient,
  DtlsServer,
  keyLength,
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  saltLength,
} from 'werift';
import { dtlsCredentials } from './dtls-credentials.ts';
import { matchesFingerprint } from './dtls-fingerprint.ts';
import type { DtlsSessionInit } from './dtls-session.ts';
import { createRecordBatch } from './record-batch.ts';
import { srtpKeysFor } from './srtp-keys.ts';

const EARLY_RECORDS = 8;
/** Datagrams of several records stay within the IPv6 minimum MTU less its headers, as werift's records do. */
const DATAGRAM_BYTES = 1200;

/**
 * DTLS-SRTP with one client over the relay's shared socket, on werift's public DtlsServer and
 * DtlsClient, where the native addon is not built (native-dtls-session.ts): the handshake, the check of the client's certificate against the fingerprint of
 * its answer (RFC 8122), and the SRTP keys it exports. The handshake may finish before the
 * answer arrives (a browser starts DTLS as soon as ICE connects); the session counts as
 * connected once both are there and agree.
 */
export function createWeriftDtlsSession(init: DtlsSessionInit) {
  const records = createRecordBatch(init.send, DATAGRAM_BYTES);
  const transport = {
    type: 'udp',
    address: {} as AddressInfo,
    closed: false,
    onData: (_data: Buffer, _from: readonly [string, number]) => {},
    send: async (record: Buffer) => records.push(record),
    close: async () => {},
  };
  // No certificate or key among the options: werift would parse them again for each session.
  const options = {
    transport,
    srtpProfiles: [ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80],
    extendedMasterSecret: true,
  };
  const dtls =
    init.role === 'server'
      ? new DtlsServer({ ...options, certificateRequest: true })
      : new DtlsClient(options);
  Object.assign(dtls.cipher, dtlsCredentials(init.certificate));
  let state: 'connecting' | 'connected' | 'closed' = 'connecting';

  function fail(): void {
    if (state === 'closed') return;
    state = 'closed';
    init.onClosed();
  }

  let handshaken = false;
  let fingerprint: { algorithm: string; value: string } | undefined;

  function connectIfVerified(): void {
    if (state !== 'connecting' || !handshaken || !fingerprint) return;
    const remote = dtls.remoteCertificate;
    if (!remote || !matchesFingerprint(remote, fingerprint)) {
      fail();
      return;
    }
    const profile = dtls.srtp.srtpProfile;
    if (profile === undefined) {
      fail();
      return;
    }
    const { localKey, localSalt, remoteKey, remoteSalt } = dtls.extractSessionKeys(
      keyLength(profile),
      saltLength(profile),
    );
    const keys = srtpKeysFor(profile, {
      localMasterKey: localKey as Buffer,
      localMasterSalt: localSalt as Buffer,
      remoteMasterKey: remoteKey as Buffer,
      remoteMasterSalt: remoteSalt as Buffer,
    });
    if (!keys) {
      fail();
      return;
    }
    state = 'connected';
    init.onConnected(keys);
    for (const data of early.splice(0)) init.onData(data);
  }

  dtls.onConnect.once(() => {
    handshaken = true;
    connectIfVerified();
  });
  // The client's SCTP starts as soon as its handshake ends, maybe before the answer is in.
  const early: Buffer[] = [];
  dtls.onData.subscribe((data) => {
    releaseHandshake();
    if (state === 'connected') init.onData(data);
    else if (state === 'connecting' && early.length < EARLY_RECORDS) early.push(data);
  });
  let released = false;

  /**
   * Drops what only the handshake needed (every handshake message, the key exchange's keys, the
   * parsed certificate and private key): 20-30 kB a session, through fields werift's .d.ts
   * declares public. Only once the client has sent application data: it has our Finished then,
   * so it never retransmits a flight that would need them; dtls-session.test.ts sends data both
   * ways after it.
   */
  function releaseHandshake(): void {
    if (released || !handshaken) return;
    released = true;
    const context = dtls.dtls as { handshakeCache: object; lastFlight: unknown[] };
    context.handshakeCache = {};
    context.lastFlight = [];
    const cipher = dtls.cipher as Partial<
      Pick<typeof dtls.cipher, 'localKeyPair' | 'remoteKeyPair' | 'localPrivateKey' | 'localCert'>
    >;
    cipher.localKeyPair = undefined;
    cipher.remoteKeyPair = undefined;
    cipher.localPrivateKey = undefined;
    cipher.localCert = undefined;
  }
  dtls.onError.once(() => fail());
  dtls.onClose.once(() => fail());
  if (dtls instanceof DtlsClient) dtls.connect().catch(fail);

  return {
    role: init.role,

    /** The fingerprint of the client's answer, which its certificate must match. */
    expectFingerprint(expected: { algorithm: string; value: string }): void {
      fingerprint = expected;
      connectIfVerified();
    },

    /** A DTLS record from the client. */
    receive(datagram: Buffer, from: readonly [string, number]): void {
      if (state === 'closed') return;
      try {
        transport.onData(datagram, from);
      } catch {
        // werift parses the record layer before its own guard: junk throws there.
      }
    },

    /** Sends application data (SCTP) once connected. */
    send(data: Buffer): Promise<void> {
      return state === 'connected' ? dtls.send(data) : Promise.resolve();
    },

    close(): void {
      if (state === 'closed') return;
      state = 'closed';
      transport.closed = true;
      dtls.onConnect.allUnsubscribe();
      dtls.onData.allUnsubscribe();
      dtls.onError.allUnsubscribe();
      dtls.onClose.allUnsubscribe();
      dtls.close();
    },
  };
}
