import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  DtlsClient,
  DtlsServer,
  keyLength,
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  type RTCCertificate,
  SrtcpSession,
  SrtpSession,
  saltLength,
} from 'werift';
import { dtlsCredentials } from './dtls-credentials.ts';
import { createRecordBatch } from './record-batch.ts';
import { isSrtpContext, type SrtpContext } from './srtp-protect.ts';

/** The SRTP sessions keyed by one DTLS handshake (RFC 5764). */
export type SrtpKeys = {
  /** This relay's sending keys, for the native sender and srtp-protect.ts. */
  local: SrtpContext;
  /** Decrypts the client's SRTP (its microphone). */
  srtp: SrtpSession;
  /** Protects the relay's RTCP sender reports. */
  srtcp: SrtcpSession;
};

export type DtlsSessionInit = {
  /** `server` when the client's answer says `setup:active`. */
  role: 'server' | 'client';
  certificate: RTCCertificate;
  /** Sends a datagram to the client's selected address. */
  send(datagram: Buffer): void;
  onConnected(keys: SrtpKeys): void;
  /** Application data (SCTP). */
  onData(data: Buffer): void;
  /** The handshake failed, the fingerprint did not match, or the client sent an alert. */
  onClosed(): void;
};

/** werift's SRTP context (one direction's session keys), a class its index does not name. */
type SrtpContextClass = new (
  masterKey: Buffer,
  masterSalt: Buffer,
  profile: number,
) => SrtpSession['localContext'];
let srtpContextClass: SrtpContextClass | undefined;

/**
 * The relay's sending keys alone. An SrtpSession derives both directions' keys (twelve AES key
 * derivations), and most clients, listeners, never send the relay any SRTP to decrypt; werift
 * names no context class, so it is taken from a session's public `localContext`, once.
 * dtls-session.test.ts checks these keys against a whole session's.
 */
export function localSrtpContext(
  masterKey: Buffer,
  masterSalt: Buffer,
  profile: number,
): SrtpSession['localContext'] {
  if (!srtpContextClass) {
    const keys = {
      localMasterKey: masterKey,
      localMasterSalt: masterSalt,
      remoteMasterKey: masterKey,
      remoteMasterSalt: masterSalt,
    };
    const { localContext } = new SrtpSession({ keys, profile });
    srtpContextClass = localContext.constructor as SrtpContextClass;
    return localContext;
  }
  return new srtpContextClass(masterKey, masterSalt, profile);
}

const EARLY_RECORDS = 8;
/** Datagrams of several records stay within the IPv6 minimum MTU less its headers, as werift's records do. */
const DATAGRAM_BYTES = 1200;
const FINGERPRINT_ALGORITHMS = new Set(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);

/** RFC 8122 §5: hex pairs separated by colons, case-insensitive. */
const FINGERPRINT_VALUE = /^[0-9a-f]{2}(:[0-9a-f]{2})*$/i;

/**
 * Whether `der` hashes to the fingerprint `value`. Compared as bytes: formatting each client's
 * digest as colon-separated hex cost more than hashing its certificate.
 */
function matchesFingerprint(der: Buffer, algorithm: string, value: string): boolean {
  if (!FINGERPRINT_ALGORITHMS.has(algorithm) || !FINGERPRINT_VALUE.test(value)) return false;
  const digest = createHash(algorithm.replace('-', '')).update(der).digest();
  return digest.equals(Buffer.from(value.replaceAll(':', ''), 'hex'));
}

/**
 * DTLS-SRTP with one client over the relay's shared socket, on werift's public DtlsServer and
 * DtlsClient: the handshake, the check of the client's certificate against the fingerprint of
 * its answer (RFC 8122), and the SRTP keys it exports. The handshake may finish before the
 * answer arrives (a browser starts DTLS as soon as ICE connects); the session counts as
 * connected once both are there and agree.
 */
export function createDtlsSession(init: DtlsSessionInit) {
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
    const { algorithm, value } = fingerprint;
    if (!remote || !matchesFingerprint(remote, algorithm, value)) {
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
    const config = {
      keys: {
        localMasterKey: localKey as Buffer,
        localMasterSalt: localSalt as Buffer,
        remoteMasterKey: remoteKey as Buffer,
        remoteMasterSalt: remoteSalt as Buffer,
      },
      profile,
    };
    const local = localSrtpContext(
      config.keys.localMasterKey,
      config.keys.localMasterSalt,
      profile,
    );
    if (!isSrtpContext(local)) {
      fail();
      return;
    }
    state = 'connected';
    // Keyed at the client's first SRTP packet and the relay's first sender report: deriving a
    // session's keys costs a handshake's tenth, listeners send no SRTP, and joiners come in bursts.
    let srtp: SrtpSession | undefined;
    let srtcp: SrtcpSession | undefined;
    init.onConnected({
      local,
      get srtp() {
        srtp ??= new SrtpSession(config);
        return srtp;
      },
      get srtcp() {
        srtcp ??= new SrtcpSession(config);
        return srtcp;
      },
    });
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

export type DtlsSession = ReturnType<typeof createDtlsSession>;
