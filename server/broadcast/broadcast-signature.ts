import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The token of a broadcast URL anyone may use (a space that is not ticketed). */
export const OPEN_TOKEN = 'open';
/**
 * Expiries are rounded up to this (s), so every holder gets the same URL for a while and a CDN
 * caches one copy of each segment, not one per listener.
 */
const EXPIRY_STEP_SECONDS = 600;
const SIGNATURE_CHARS = 32;

/** The broadcast signing key: the configured secret, or one derived from the auth secret. */
export function broadcastKey(configured: string | undefined, authSecret: string): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  return Buffer.from(hkdfSync('sha256', authSecret, '', 'amphi broadcast urls', 32));
}

const signatureOf = (key: Buffer, spaceId: string, expires: number) =>
  createHmac('sha256', key)
    .update(`broadcast/${spaceId}/${expires}`)
    .digest('base64url')
    .slice(0, SIGNATURE_CHARS);

/**
 * A token for the path `/spaces/<id>/broadcast/<token>/`, valid until at least `ttlSeconds` from
 * `nowMs`. It sits in the path, not the query, so the playlist's relative segment URLs carry it.
 */
export function signBroadcast(key: Buffer, spaceId: string, nowMs: number, ttlSeconds: number) {
  const least = Math.ceil(nowMs / 1000) + ttlSeconds;
  const expires = Math.ceil(least / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
  return `${expires}-${signatureOf(key, spaceId, expires)}`;
}

/** Why a token does not open a space's broadcast, or null when it does. */
export function checkBroadcastToken(
  key: Buffer,
  spaceId: string,
  token: string,
  nowMs: number,
): 'malformed' | 'forged' | 'expired' | null {
  const match = /^(\d{1,12})-([A-Za-z0-9_-]+)$/.exec(token);
  if (!match?.[1] || !match[2]) return 'malformed';
  const expires = Number(match[1]);
  const given = Buffer.from(match[2]);
  const expected = Buffer.from(signatureOf(key, spaceId, expires));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
  return expires * 1000 <= nowMs ? 'expired' : null;
}
