import { createHash } from 'node:crypto';

const FINGERPRINT_ALGORITHMS = new Set(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);
/** RFC 8122 §5: hex pairs separated by colons, case-insensitive. */
const FINGERPRINT_VALUE = /^[0-9a-f]{2}(:[0-9a-f]{2})*$/i;

/**
 * Whether the certificate `der` hashes to the fingerprint of an SDP answer (RFC 8122). Compared
 * as bytes: formatting each client's digest as colon-separated hex cost more than hashing its
 * certificate.
 */
export function matchesFingerprint(
  der: Buffer,
  fingerprint: { algorithm: string; value: string },
): boolean {
  const { algorithm, value } = fingerprint;
  if (!FINGERPRINT_ALGORITHMS.has(algorithm) || !FINGERPRINT_VALUE.test(value)) return false;
  const digest = createHash(algorithm.replace('-', '')).update(der).digest();
  return digest.equals(Buffer.from(value.replaceAll(':', ''), 'hex'));
}
