import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientAddress, invalidProxyEntries, limitGroupOf } from './client-address.ts';

const request = (peer: string | undefined, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('createClientAddress', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const address = createClientAddress([]);
    expect(address(request('192.0.2.7', '203.0.113.1'))).toBe('192.0.2.7');
  });

  it('ignores X-Forwarded-For from a peer outside TRUSTED_PROXIES', () => {
    const address = createClientAddress(['10.0.0.0/8']);
    expect(address(request('192.0.2.7', '203.0.113.1'))).toBe('192.0.2.7');
  });

  it('walks a trusted chain right to left to the first untrusted hop', () => {
    const address = createClientAddress(['127.0.0.1', '10.0.0.0/8']);
    // The client wrote the leftmost entry itself; only what trusted hops appended counts.
    const chain = '198.51.100.99, 203.0.113.5, 10.1.2.3';
    expect(address(request('127.0.0.1', chain))).toBe('203.0.113.5');
  });

  it('answers with the last trusted hop when the chain holds no address', () => {
    const address = createClientAddress(['127.0.0.1']);
    expect(address(request('127.0.0.1', 'not-an-address'))).toBe('127.0.0.1');
    expect(address(request('127.0.0.1'))).toBe('127.0.0.1');
  });

  it('gives IPv4-mapped IPv6 peers as IPv4, and matches them against IPv4 ranges', () => {
    const address = createClientAddress(['127.0.0.1']);
    expect(address(request('::ffff:192.0.2.7'))).toBe('192.0.2.7');
    expect(address(request('::ffff:127.0.0.1', '203.0.113.8'))).toBe('203.0.113.8');
  });

  it('is "unknown" when the socket has gone', () => {
    expect(createClientAddress([])(request(undefined))).toBe('unknown');
  });
});

describe('limitGroupOf', () => {
  it('groups IPv6 addresses by their /64 and leaves IPv4 alone', () => {
    expect(limitGroupOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitGroupOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(limitGroupOf('2001:db8:1:3::1')).not.toBe(limitGroupOf('2001:db8:1:2::1'));
    expect(limitGroupOf('192.0.2.7')).toBe('192.0.2.7');
  });
});

describe('invalidProxyEntries', () => {
  it('names the entries that are neither addresses nor CIDR ranges', () => {
    expect(invalidProxyEntries(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'])).toEqual([]);
    expect(invalidProxyEntries(['10.0.0.0/33', 'proxy.example', '127.0.0.1'])).toEqual([
      '10.0.0.0/33',
      'proxy.example',
    ]);
  });
});
