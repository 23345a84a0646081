import { type RTCCertificate, RTCDtlsTransport } from 'werift';

const memoized = new WeakSet<RTCCertificate>();

/**
 * The relay's one DTLS certificate (werift's) for every session, with its fingerprint computed
 * once: werift parses the certificate's PEM again (ASN.1 in JavaScript) at every
 * `getFingerprints()`, a few milliseconds of the event loop per offer otherwise.
 */
export async function relayCertificate(): Promise<RTCCertificate> {
  const certificate = await RTCDtlsTransport.SetupCertificate();
  if (memoized.has(certificate)) return certificate;
  memoized.add(certificate);
  const fingerprints = certificate.getFingerprints();
  certificate.getFingerprints = () => [...fingerprints];
  return certificate;
}
