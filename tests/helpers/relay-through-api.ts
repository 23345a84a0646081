import { expect } from 'vitest';
import type { TestUser } from './test-app.ts';

const OPEN_RELAY = /* GraphQL */ `
  mutation ($spaceId: ID!) {
    openRelaySession(spaceId: $spaceId) {
      __typename
      ... on MutationOpenRelaySessionSuccess { relay { sessionId sdp } }
    }
  }
`;

const ANSWER_RELAY = /* GraphQL */ `
  mutation ($id: ID!, $sdp: String!) {
    answerRelaySession(sessionId: $id, sdp: $sdp) { __typename }
  }
`;

/**
 * Opens `user`'s relay session through the API, answers it with the peer `client` makes from the
 * offer, and returns that peer with the session's id.
 */
export async function connectThroughApi<Client extends { answer: string }>(
  user: TestUser,
  spaceGlobalId: string,
  client: (offer: string) => Promise<Client>,
): Promise<Client & { sessionId: string }> {
  const opened = await user.gql<{
    openRelaySession: { relay: { sessionId: string; sdp: string } };
  }>(OPEN_RELAY, { spaceId: spaceGlobalId });
  const relay = opened.data?.openRelaySession.relay;
  if (!relay) throw new Error(`no relay session: ${JSON.stringify(opened)}`);
  const connected = await client(relay.sdp);
  const answered = await user.gql(ANSWER_RELAY, { id: relay.sessionId, sdp: connected.answer });
  expect(answered.data?.['answerRelaySession']).toEqual({
    __typename: 'MutationAnswerRelaySessionSuccess',
  });
  return Object.assign(connected, { sessionId: relay.sessionId });
}
