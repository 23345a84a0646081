import { NotEnoughFollowers } from '../errors.ts';

export type HostingThresholds = { minFollowers: number; minFollowersTicketed: number };

export type HostingEligibility = {
  eligible: boolean;
  requiredFollowers: number;
  followers: number;
  missingFollowers: number;
};

/** Whether someone with this many followers may host (a ticketed space needs more). */
export function hostingEligibility(
  followers: number,
  thresholds: HostingThresholds,
  ticketed = false,
): HostingEligibility {
  const requiredFollowers = ticketed ? thresholds.minFollowersTicketed : thresholds.minFollowers;
  const missingFollowers = Math.max(0, requiredFollowers - followers);
  return { eligible: missingFollowers === 0, requiredFollowers, followers, missingFollowers };
}

export function assertCanHost(followers: number, thresholds: HostingThresholds, ticketed = false) {
  const eligibility = hostingEligibility(followers, thresholds, ticketed);
  if (!eligibility.eligible) throw new NotEnoughFollowers(eligibility.requiredFollowers, followers);
}
