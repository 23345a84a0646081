import { SrtcpSession, SrtpSession } from 'werift';
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

/** RFC 5764 §4.2's master keys and salts, as this end of the association uses them. */
export type SrtpMasterKeys = {
  localMasterKey: Buffer;
  localMasterSalt: Buffer;
  remoteMasterKey: Buffer;
  remoteMasterSalt: Buffer;
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
 * dtls-session.test.ts checks these keys against the client's.
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

/**
 * The SRTP keys of an association with SRTP protection `profile`, or undefined for a profile the
 * relay cannot send with. The client's (decrypting) session and the SRTCP one are keyed at their
 * first use, the client's first SRTP packet and the relay's first sender report: deriving a
 * session's keys costs as much as a handshake's signature, listeners send no SRTP, and joiners
 * come in bursts.
 */
export function srtpKeysFor(profile: number, keys: SrtpMasterKeys): SrtpKeys | undefined {
  const local = localSrtpContext(keys.localMasterKey, keys.localMasterSalt, profile);
  if (!isSrtpContext(local)) return undefined;
  const config = { keys, profile };
  let srtp: SrtpSession | undefined;
  let srtcp: SrtcpSession | undefined;
  return {
    local,
    get srtp() {
      srtp ??= new SrtpSession(config);
      return srtp;
    },
    get srtcp() {
      srtcp ??= new SrtcpSession(config);
      return srtcp;
    },
  };
}
