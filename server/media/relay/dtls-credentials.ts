import { createPrivateKey, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { PrivateKey } from '@fidm/x509';
import type { CipherContext, RTCCertificate } from 'werift';

/*
 * Given its certificate and key as PEM options, werift parses both with @fidm/x509 (ASN.1 in
 * JavaScript) for every DTLS session, and signs each handshake's key exchange with the key as a
 * PEM string, which OpenSSL decodes again at every signature: together ~10 times the cost of
 * the signature itself here. The relay's sessions share one certificate, so the relay parses
 * it once and hands each session werift's parsed form through CipherContext's public fields,
 * with a key that signs through one OpenSSL key object. dtls-session.test.ts fails if werift
 * stops reading them (its handshakes would have no certificate or key).
 */

/** werift's PrivateKey (the class its CipherContext holds) signing with a parsed OpenSSL key. */
class KeyObjectPrivateKey extends PrivateKey {
  readonly #key: KeyObject;

  constructor(keyPem: string) {
    super(PrivateKey.fromPEM(Buffer.from(keyPem)).toASN1());
    this.#key = createPrivateKey(keyPem);
  }

  /** As @fidm/x509's: a DER-encoded ECDSA (or PKCS #1 RSA) signature of `data`. */
  override sign(data: Buffer, hashAlgorithm: string): Buffer {
    return sign(hashAlgorithm, data, this.#key);
  }
}

/** What werift's CipherContext parses out of the certificate and key options. */
export type DtlsCredentials = Pick<
  CipherContext,
  'localCert' | 'localPrivateKey' | 'signatureHashAlgorithm'
>;

const parsed = new WeakMap<RTCCertificate, DtlsCredentials>();

/** `certificate` in werift's parsed form, parsed once per certificate. */
export function dtlsCredentials(certificate: RTCCertificate): DtlsCredentials {
  let credentials = parsed.get(certificate);
  if (!credentials) {
    credentials = {
      localCert: new X509Certificate(certificate.certPem).raw,
      localPrivateKey: new KeyObjectPrivateKey(certificate.privateKey),
      signatureHashAlgorithm: certificate.signatureHash,
    };
    parsed.set(certificate, credentials);
  }
  return credentials;
}
