import type { RTCCertificate } from 'werift';
import { createNativeDtlsSession } from './native-dtls-session.ts';
import { nativeDtls } from './native-srtp.ts';
import type { SrtpKeys } from './srtp-keys.ts';
import { createWeriftDtlsSession } from './werift-dtls-session.ts';

export type { SrtpKeys } from './srtp-keys.ts';

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

export type DtlsSession = {
  readonly role: 'server' | 'client';
  /** The fingerprint of the client's answer, which its certificate must match. */
  expectFingerprint(expected: { algorithm: string; value: string }): void;
  /** A DTLS record from the client. */
  receive(datagram: Buffer, from: readonly [string, number]): void;
  /** Sends application data (SCTP) once connected. */
  send(data: Buffer): Promise<void>;
  close(): void;
};

/**
 * DTLS-SRTP with one client over the relay's shared socket: in OpenSSL where the native addon
 * is built (a handshake there costs the relay's thread a fraction of werift's), else werift's.
 */
export function createDtlsSession(
  init: DtlsSessionInit,
  implementation: 'native' | 'werift' = nativeDtls ? 'native' : 'werift',
): DtlsSession {
  return implementation === 'native' && nativeDtls
    ? createNativeDtlsSession(init, nativeDtls)
    : createWeriftDtlsSession(init);
}
