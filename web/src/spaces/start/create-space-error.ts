type CreateSpaceFailure =
  | {
      __typename: 'NotEnoughFollowers';
      message: string;
      required: number;
      current: number;
      missing: number;
    }
  | {
      __typename: 'InvalidInput';
      message: string;
      issues: readonly { path: string; message: string }[];
    }
  | { __typename: string; message: string };

/** A clear sentence for each way starting a space can fail. */
export function createSpaceError(result: CreateSpaceFailure): string {
  if ('missing' in result) {
    return `You need ${result.missing} more follower${result.missing === 1 ? '' : 's'} to host (you have ${result.current} of ${result.required}).`;
  }
  if ('issues' in result && result.issues.length > 0) {
    return result.issues.map((issue) => `${issue.path}: ${issue.message}`).join(' · ');
  }
  switch (result.__typename) {
    case 'AlreadyHosting':
      return 'You are already hosting a live space. End it before starting another.';
    case 'NotAuthenticated':
      return 'Sign in to host a space.';
    default:
      return result.message;
  }
}

/** "a, b ,c" → up to 3 trimmed topics. */
export const parseTopics = (text: string) =>
  text
    .split(',')
    .map((topic) => topic.trim())
    .filter(Boolean)
    .slice(0, 3);
