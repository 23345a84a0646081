import { createHash } from 'node:crypto';

const FINGERPRINT_ALGORITHMS = new Set(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);

function fingerprintOf(der: Buffer, algorithm: string): string {
  const digest = createHash(algorithm.replace('-', '')).update(der).digest('hex');
  return digest.toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/** Whether the certificate `der` hashes to the fingerprint of an SDP answer (RFC 8122). */
export function matchesFingerprint(
  der: Buffer,
  fingerprint: { algorithm: string; value: string },
): boolean {
  const { algorithm, value } = fingerprint;
  return (
    FINGERPRINT_ALGORITHMS.has(algorithm) && fingerprintOf(der, algorithm) === value.toUpperCase()
  );
}
