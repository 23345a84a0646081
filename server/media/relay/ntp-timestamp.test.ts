import { describe, expect, it } from 'vitest';
import { ntpTimestamp } from './ntp-timestamp.ts';

const seconds = (ntp: bigint) => Number(ntp >> 32n);
const fraction = (ntp: bigint) => Number(ntp & 0xffff_ffffn);

describe('ntpTimestamp', () => {
  it('counts seconds from 1900 and the fraction in units of 2^-32 s, as receivers read sender reports', () => {
    expect(seconds(ntpTimestamp(0))).toBe(2_208_988_800);
    expect(fraction(ntpTimestamp(0))).toBe(0);
    // 2026-12-05T06:00:00.250Z
    const at = Date.UTC(2026, 11, 5, 6, 0, 0, 250);
    expect(seconds(ntpTimestamp(at))).toBe(at / 1000 - 0.25 + 2_208_988_800);
    expect(fraction(ntpTimestamp(at))).toBe(2 ** 30);
    expect(fraction(ntpTimestamp(at + 0.5))).toBe(Math.floor(0.2505 * 2 ** 32));
  });

  it('never lets the fraction carry into the seconds', () => {
    const justBefore = ntpTimestamp(999.9999999);
    expect(seconds(justBefore)).toBe(2_208_988_800);
    expect(fraction(justBefore)).toBeLessThanOrEqual(0xffff_ffff);
  });
});
