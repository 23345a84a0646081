import { connectWrtcClient } from './relay-peers.ts';
import { connectThroughApi } from './relay-through-api.ts';
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
  return connectThroughApi(user, spaceGlobalId, (offer) =>
    connectWrtcClient(offer, { speak: true, speech, onSpeechFrame }),
  );
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
