export type Hosting = {
  eligible: boolean;
  followers: number;
  requiredFollowers: number;
  missingFollowers: number;
};

const plural = (count: number, word: string) => `${count} more ${word}${count === 1 ? '' : 's'}`;

/** What a person sees about their own hosting eligibility. */
export function hostingMessage(hosting: Hosting): string {
  if (hosting.eligible) return 'You can host spaces.';
  return `You need ${plural(hosting.missingFollowers, 'follower')} to host (${hosting.followers} of ${hosting.requiredFollowers}).`;
}
