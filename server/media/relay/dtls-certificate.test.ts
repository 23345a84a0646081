import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relayCertificate } from './dtls-certificate.ts';
import { createRelay, type Relay } from './relay.ts';

/** The @fidm/x509 werift parses certificates with (its own dependency). */
type X509 = { Certificate: { fromPEM(pem: Buffer): { raw: Buffer } } };
const x509 = createRequire(createRequire(import.meta.url).resolve('werift'))('@fidm/x509') as X509;

/** The SHA-256 fingerprint of a PEM certificate, as SDP writes it. */
function fingerprintOf(certPem: string): string {
  const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return `sha-256 ${hex.match(/../g)?.join(':')}`;
}

describe('the relay’s DTLS certificate', () => {
  let relay: Relay | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await relay?.stop();
    relay = undefined;
  });

  it('is parsed once, not again for each fingerprint of each offer, and offered as it is', async () => {
    relay = createRelay({ port: 0, announcedIp: '127.0.0.1' });
    await relay.open('space', 'first');
    const parses = vi.spyOn(x509.Certificate, 'fromPEM');
    const { offer } = await relay.open('space', 'second');
    expect(parses).not.toHaveBeenCalled();
    const certificate = await relayCertificate();
    const fingerprints = offer.match(/^a=fingerprint:.*$/gm) ?? [];
    expect(fingerprints.length).toBeGreaterThan(0);
    expect(new Set(fingerprints)).toEqual(
      new Set([`a=fingerprint:${fingerprintOf(certificate.certPem)}`]),
    );
  });
});
