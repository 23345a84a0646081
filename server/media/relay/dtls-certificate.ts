import { type RTCCertificate, RTCDtlsTransport } from 'werift';

const memoized = new WeakSet<RTCCertificate>();

/**
 * werift's one DTLS certificate for every peer connection, with its fingerprint computed once.
 * werift parses the certificate's PEM again (ASN.1 in JavaScript) for every `a=fingerprint` it
 * writes: 15 times per relay offer, a few milliseconds of the event loop per join. The certificate
 * never changes, so neither does its fingerprint.
 */
export async function relayCertificate(): Promise<RTCCertificate> {
  const certificate = await RTCDtlsTransport.SetupCertificate();
  if (memoized.has(certificate)) return certificate;
  memoized.add(certificate);
  const fingerprints = certificate.getFingerprints();
  certificate.getFingerprints = () => [...fingerprints];
  return certificate;
}
