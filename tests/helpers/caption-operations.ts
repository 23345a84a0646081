import { expect } from 'vitest';
import { connectWrtcClient } from './relay-peers.ts';
import type { TestApp, TestUser } from './test-app.ts';

export const SET_CAPTIONS = /* GraphQL */ `
  mutation ($spaceId: ID!, $on: Boolean!) {
    setSpaceCaptions(spaceId: $spaceId, on: $on) {
      __typename
      ... on MutationSetSpaceCaptionsSuccess { space { captionsOn mediaMode } }
      ... on Error { message }
    }
  }
`;

export const CAPTION_EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      ... on CaptionsChanged { on }
      ... on CaptionSegment { participant { user { handle } } text startMs endMs final }
    }
  }
`;

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

export type CaptionEvent = {
  __typename: string;
  on?: boolean;
  participant?: { user: { handle: string } };
  text?: string;
  startMs?: number;
  endMs?: number;
  final?: boolean;
};

/** Connects `user` to the relay through the API with a libwebrtc peer speaking `speech`. */
export async function speakThroughRelay(
  user: TestUser,
  spaceGlobalId: string,
  speech: Int16Array,
  onSpeechFrame?: (frame: number) => void,
) {
  const opened = await user.gql<{
    openRelaySession: { relay: { sessionId: string; sdp: string } };
  }>(OPEN_RELAY, { spaceId: spaceGlobalId });
  const relay = opened.data?.openRelaySession.relay;
  if (!relay) throw new Error(`no relay session: ${JSON.stringify(opened)}`);
  const client = await connectWrtcClient(relay.sdp, { speak: true, speech, onSpeechFrame });
  const answered = await user.gql(ANSWER_RELAY, { id: relay.sessionId, sdp: client.answer });
  expect(answered.data?.['answerRelaySession']).toEqual({
    __typename: 'MutationAnswerRelaySessionSuccess',
  });
  return client;
}

/** Waits until this instance has `count` subscriptions on the space's events. */
export async function watchersReach(t: TestApp, spaceId: string, count: number) {
  for (let i = 0; i < 200 && t.app.bus.watchers('space-events', spaceId) < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The caption events among a subscription's results. */
export const captionsOf = (results: { data?: { spaceEvents: CaptionEvent } | null }[]) =>
  results
    .map((result) => result.data?.spaceEvents)
    .filter((event): event is CaptionEvent => event?.__typename === 'CaptionSegment');

/** The final caption events among a subscription's results. */
export const finalsOf = (results: { data?: { spaceEvents: CaptionEvent } | null }[]) =>
  captionsOf(results).filter((event) => event.final);
