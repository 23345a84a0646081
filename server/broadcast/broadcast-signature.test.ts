import { describe, expect, it } from 'vitest';
import { broadcastKey, checkBroadcastToken, signBroadcast } from './broadcast-signature.ts';

const key = broadcastKey(undefined, 'an auth secret of some length, for the test');
const now = Date.parse('2026-12-04T18:00:00Z');

describe('signBroadcast', () => {
  it('opens its own space until it expires, and no other space', () => {
    const token = signBroadcast(key, 'space-1', now, 3600);
    expect(checkBroadcastToken(key, 'space-1', token, now)).toBeNull();
    expect(checkBroadcastToken(key, 'space-1', token, now + 3599_000)).toBeNull();
    expect(checkBroadcastToken(key, 'space-1', token, now + 4200_000)).toBe('expired');
    expect(checkBroadcastToken(key, 'space-2', token, now)).toBe('forged');
  });

  it('gives every holder the same URL within an expiry step', () => {
    const first = signBroadcast(key, 's', now + 30_000, 3600);
    expect(signBroadcast(key, 's', now + 90_000, 3600)).toBe(first);
  });

  it('refuses a changed expiry, another key, and garbage', () => {
    const token = signBroadcast(key, 'space-1', now, 3600);
    const [expires, signature] = token.split('-', 2) as [string, string];
    const later = `${Number(expires) + 600}-${token.slice(expires.length + 1)}`;
    expect(checkBroadcastToken(key, 'space-1', later, now)).toBe('forged');
    const other = broadcastKey('a configured broadcast secret', 'x');
    expect(checkBroadcastToken(other, 'space-1', token, now)).toBe('forged');
    expect(checkBroadcastToken(key, 'space-1', `${expires}-${signature.slice(1)}`, now)).toBe(
      'forged',
    );
    expect(checkBroadcastToken(key, 'space-1', 'open', now)).toBe('malformed');
    expect(checkBroadcastToken(key, 'space-1', '', now)).toBe('malformed');
  });
});
