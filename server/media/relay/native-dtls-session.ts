import type { RTCCertificate } from 'werift';
import { keyLength, saltLength } from 'werift';
import { matchesFingerprint } from './dtls-fingerprint.ts';
import type { DtlsSessionInit } from './dtls-session.ts';
import {
  NATIVE_DTLS_STATES,
  type NativeDtls,
  type NativeDtlsContext,
  type NativeDtlsState,
} from './native-dtls.ts';
import { createRecordBatch } from './record-batch.ts';
import { srtpKeysFor } from './srtp-keys.ts';

const EARLY_RECORDS = 8;
/** Datagrams of several records stay within the IPv6 minimum MTU less its headers, as OpenSSL's flights do. */
const DATAGRAM_BYTES = 1200;
/** RFC 6347 §4.1: type, version, epoch, sequence number, then the 16-bit length. */
const RECORD_HEADER_BYTES = 13;
const RECORD_LENGTH_AT = 11;

const contexts = new WeakMap<RTCCertificate, NativeDtlsContext>();

function contextFor(certificate: RTCCertificate, binding: NativeDtls): NativeDtlsContext {
  let context = contexts.get(certificate);
  if (!context) {
    context = binding.createDtlsContext(certificate.certPem, certificate.privateKey);
    contexts.set(certificate, context);
  }
  return context;
}

/**
 * DTLS-SRTP with one client over the relay's shared socket, in OpenSSL through the native addon
 * (dtls_session.c): the handshake, the check of the client's certificate against the fingerprint
 * of its answer (RFC 8122), and the SRTP keys it exports. The handshake may finish before the
 * answer arrives (a browser starts DTLS as soon as ICE connects); the session counts as
 * connected once both are there and agree.
 */
export function createNativeDtlsSession(init: DtlsSessionInit, binding: NativeDtls) {
  const records = createRecordBatch(init.send, DATAGRAM_BYTES);
  const handle = binding.createDtls(contextFor(init.certificate, binding), init.role === 'server');
  let state: 'connecting' | 'connected' | 'closed' = 'connecting';
  let handshaken = false;
  let freed = false;
  let fingerprint: { algorithm: string; value: string } | undefined;
  let retransmission: NodeJS.Timeout | undefined;
  // The client's SCTP starts as soon as its handshake ends, maybe before the answer is in.
  const early: Buffer[] = [];

  function fail(): void {
    if (state === 'closed') return;
    state = 'closed';
    clearTimeout(retransmission);
    init.onClosed();
  }

  function connectIfVerified(): void {
    if (state !== 'connecting' || !handshaken || !fingerprint) return;
    const remote = binding.dtlsPeerCertificate(handle);
    if (!remote || !matchesFingerprint(remote, fingerprint)) {
      fail();
      return;
    }
    const profile = binding.dtlsSrtpProfile(handle);
    if (profile !== 1 && profile !== 7) {
      fail();
      return;
    }
    const key = keyLength(profile);
    const salt = saltLength(profile);
    // RFC 5764 §4.2: client key, server key, client salt, server salt.
    const material = binding.dtlsExportSrtpKeys(handle, 2 * (key + salt));
    if (!material) {
      fail();
      return;
    }
    const part = (at: number, length: number) => material.subarray(at, at + length);
    const client = { key: part(0, key), salt: part(2 * key, salt) };
    const server = { key: part(key, key), salt: part(2 * key + salt, salt) };
    const [local, remoteKeys] = init.role === 'server' ? [server, client] : [client, server];
    const keys = srtpKeysFor(profile, {
      localMasterKey: local.key,
      localMasterSalt: local.salt,
      remoteMasterKey: remoteKeys.key,
      remoteMasterSalt: remoteKeys.salt,
    });
    if (!keys) {
      fail();
      return;
    }
    state = 'connected';
    init.onConnected(keys);
    for (const data of early.splice(0)) init.onData(data);
  }

  /** Sends what OpenSSL wrote, record by record, as many to a datagram as fit. */
  function sendOutgoing(): void {
    const out = binding.dtlsOutgoing(handle);
    if (!out) return;
    let at = 0;
    while (at + RECORD_HEADER_BYTES <= out.length) {
      const end = at + RECORD_HEADER_BYTES + out.readUInt16BE(at + RECORD_LENGTH_AT);
      records.push(out.subarray(at, end));
      at = end;
    }
  }

  function deliver(data: Buffer): void {
    if (state === 'connected') init.onData(data);
    else if (state === 'connecting' && early.length < EARLY_RECORDS) early.push(data);
  }

  /** After each call into OpenSSL: what it decided, read, and wrote. */
  function settle(after: NativeDtlsState): void {
    if (after === NATIVE_DTLS_STATES.connected) {
      if (!handshaken) {
        handshaken = true;
        clearTimeout(retransmission);
        retransmission = undefined;
        connectIfVerified();
      }
      for (let data = binding.dtlsRead(handle); data; data = binding.dtlsRead(handle)) {
        deliver(data);
      }
    }
    sendOutgoing();
    if (binding.dtlsState(handle) === NATIVE_DTLS_STATES.closed) fail();
    else if (!handshaken) scheduleRetransmission();
  }

  /** OpenSSL keeps the handshake's retransmission timer (RFC 6347 §4.2.4); this wakes it. */
  function scheduleRetransmission(): void {
    if (retransmission || state === 'closed') return;
    const ms = binding.dtlsTimeout(handle);
    if (ms < 0) return;
    retransmission = setTimeout(() => {
      retransmission = undefined;
      if (state !== 'closed') settle(binding.dtlsHandleTimeout(handle));
    }, ms);
    retransmission.unref();
  }

  if (init.role === 'client') settle(binding.dtlsHandshake(handle));

  return {
    role: init.role,

    /** The fingerprint of the client's answer, which its certificate must match. */
    expectFingerprint(expected: { algorithm: string; value: string }): void {
      fingerprint = expected;
      connectIfVerified();
    },

    /** A DTLS record from the client. */
    receive(datagram: Buffer, _from: readonly [string, number]): void {
      if (state === 'closed') return;
      settle(binding.dtlsReceive(handle, datagram));
    },

    /** Sends application data (SCTP) once connected. */
    send(data: Buffer): Promise<void> {
      if (state === 'connected' && binding.dtlsWrite(handle, data)) sendOutgoing();
      return Promise.resolve();
    },

    close(): void {
      if (freed) return;
      freed = true;
      if (state !== 'closed') {
        state = 'closed';
        clearTimeout(retransmission);
        binding.dtlsClose(handle);
        sendOutgoing();
      }
      binding.dtlsFree(handle);
    },
  };
}
