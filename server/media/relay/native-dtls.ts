/** A DTLS context of the native addon: one relay certificate and its settings (dtls_session.c). */
export type NativeDtlsContext = { readonly brand: unique symbol };
/** One DTLS association in OpenSSL, fed and drained through memory. */
export type NativeDtlsHandle = { readonly brand: unique symbol };

/** What dtls_session.c returns as a session's state. */
export const NATIVE_DTLS_STATES = { handshaking: 0, connected: 1, closed: 2 } as const;
export type NativeDtlsState = (typeof NATIVE_DTLS_STATES)[keyof typeof NATIVE_DTLS_STATES];

/** The addon's DTLS 1.2 with DTLS-SRTP (dtls_session.c). */
export type NativeDtls = {
  createDtlsContext(certPem: string, keyPem: string): NativeDtlsContext;
  createDtls(context: NativeDtlsContext, isServer: boolean): NativeDtlsHandle;
  /** Starts a client's handshake or moves one on. */
  dtlsHandshake(session: NativeDtlsHandle): NativeDtlsState;
  /** One datagram from the peer. */
  dtlsReceive(session: NativeDtlsHandle, datagram: Buffer): NativeDtlsState;
  /** The next application data record, or null. */
  dtlsRead(session: NativeDtlsHandle): Buffer | null;
  dtlsState(session: NativeDtlsHandle): NativeDtlsState;
  /** Records to send, back to back, or null. */
  dtlsOutgoing(session: NativeDtlsHandle): Buffer | null;
  dtlsWrite(session: NativeDtlsHandle, data: Buffer): boolean;
  /** Milliseconds until a flight's retransmission is due, or -1. */
  dtlsTimeout(session: NativeDtlsHandle): number;
  dtlsHandleTimeout(session: NativeDtlsHandle): NativeDtlsState;
  /** The peer's certificate, DER. */
  dtlsPeerCertificate(session: NativeDtlsHandle): Buffer | null;
  /** RFC 5764 §4.1.2 profile number, or 0. */
  dtlsSrtpProfile(session: NativeDtlsHandle): number;
  dtlsExportSrtpKeys(session: NativeDtlsHandle, length: number): Buffer | null;
  /** Sends close_notify (among the outgoing records). */
  dtlsClose(session: NativeDtlsHandle): void;
  dtlsFree(session: NativeDtlsHandle): void;
};
