import { describe, expect, it } from 'vitest';
import { NotEnoughFollowers } from '../errors.ts';
import { assertCanHost, hostingEligibility } from './hosting-eligibility.ts';

const thresholds = { minFollowers: 600, minFollowersTicketed: 1000 };

describe('hostingEligibility', () => {
  it('needs 600 followers to host and 1000 for a ticketed space', () => {
    expect(hostingEligibility(600, thresholds)).toEqual({
      eligible: true,
      requiredFollowers: 600,
      followers: 600,
      missingFollowers: 0,
    });
    expect(hostingEligibility(999, thresholds, true)).toEqual({
      eligible: false,
      requiredFollowers: 1000,
      followers: 999,
      missingFollowers: 1,
    });
  });

  it('throws NotEnoughFollowers with the shortfall', () => {
    expect(() => assertCanHost(12, thresholds)).toThrowError(NotEnoughFollowers);
    try {
      assertCanHost(12, thresholds);
    } catch (error) {
      expect((error as NotEnoughFollowers).missing).toBe(588);
    }
  });

  it('honours configured thresholds', () => {
    expect(hostingEligibility(3, { minFollowers: 3, minFollowersTicketed: 5 }).eligible).toBe(true);
  });
});
