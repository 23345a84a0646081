import type { TestApp, TestUser } from './test-app.ts';

// lowerHand cannot fill a seat, so its result has no LimitReached member.
const resultFields = (name: string) => /* GraphQL */ `
  __typename
  ... on Error { message }
  ... on NotAllowed { action }
  ${name === 'lowerHand' ? '' : '... on LimitReached { kind limit }'}
`;

export const selfMutation = (name: string) => /* GraphQL */ `
  mutation ($spaceId: ID!) {
    ${name}(spaceId: $spaceId) {
      ${resultFields(name)}
      ... on Mutation${name[0]?.toUpperCase()}${name.slice(1)}Success {
        participant { role muted handRaised invitedToSpeak invitedAs }
      }
    }
  }
`;

export const targetMutation = (name: string) => /* GraphQL */ `
  mutation ($spaceId: ID!, $userId: ID!) {
    ${name}(spaceId: $spaceId, userId: $userId) {
      ${resultFields(name)}
      ... on Mutation${name[0]?.toUpperCase()}${name.slice(1)}Success {
        participant { role muted handRaised invitedToSpeak invitedAs user { handle } }
      }
    }
  }
`;

const STAGE = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) {
      stage { role user { handle } }
      speakerRequests { user { handle } }
    }
  }
`;

/** Who is on stage and who asked to speak, as anyone sees it. */
export async function stageOf(t: TestApp, spaceGlobalId: string) {
  const result = await t.anonymous<{
    space: { stage: { role: string; user: { handle: string } }[]; speakerRequests: unknown[] };
  }>(STAGE, { id: spaceGlobalId });
  return result.data?.space;
}

export const resultOf = (response: { data?: Record<string, unknown> }, name: string) =>
  response.data?.[name] as Record<string, unknown> | undefined;

/** A new user who has joined the space as a listener. */
export async function listenerIn(
  t: TestApp,
  spaceId: string,
  name = 'listener',
): Promise<TestUser> {
  const user = await t.createUser(name);
  await t.app.services.spaces.join(user.id, spaceId);
  return user;
}
