import { describe, expect, it } from 'vitest';
import { addressKey, createGuestCounter, GuestRelayLimitReached } from './guest-limits.ts';

describe('addressKey', () => {
  it('keeps an IPv4 address, also when mapped into IPv6', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('createGuestCounter', () => {
  it('refuses a place past the per-address limit, whatever the IPv6 host part', () => {
    const counter = createGuestCounter({ perAddress: 2, perInstance: 10 });
    counter.reserve('2001:db8::1');
    counter.reserve('2001:db8::2');
    expect(() => counter.reserve('2001:db8::3')).toThrow(GuestRelayLimitReached);
    expect(() => counter.reserve('2001:db8:0:0:ffff::9')).toThrow(GuestRelayLimitReached);
    expect(() => counter.reserve('2001:db8:0:1::1')).not.toThrow();
  });

  it('gives a place back once, however often it is released', () => {
    const counter = createGuestCounter({ perAddress: 1, perInstance: 1 });
    const release = counter.reserve('198.51.100.1');
    expect(() => counter.reserve('198.51.100.2')).toThrow(GuestRelayLimitReached);
    release();
    release();
    expect(counter.count()).toBe(0);
    expect(() => counter.reserve('198.51.100.2')).not.toThrow();
  });
});
