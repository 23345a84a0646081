import { graphql } from '../../api/graphql.ts';

export const ParticipantFields = graphql(`
  fragment ParticipantFields on Participant {
    id
    role
    muted
    handRaised
    invitedToSpeak
    invitedAs
    user { id handle displayName avatarUrl }
  }
`);

export const SpaceStateQuery = graphql(`
  query SpaceState($id: ID!) {
    space(id: $id) { id state }
  }
`);

export const SpaceViewQuery = graphql(
  `
  query SpaceView($id: ID!) {
    space(id: $id) {
      id
      title
      topics
      state
      shareUrl
      mediaMode
      relayAudience
      captionsOn
      participantCount
      host { id handle displayName avatarUrl }
      stage { ...ParticipantFields }
      speakerRequests { ...ParticipantFields }
      viewerParticipant { ...ParticipantFields }
      roster: participants(first: 100) { edges { node { id role muted } } }
    }
    reactionEmojis
  }
`,
  [ParticipantFields],
);

export const ListenersQuery = graphql(
  `
  query Listeners($id: ID!, $first: Int!, $after: String) {
    space(id: $id) {
      id
      participants(role: LISTENER, first: $first, after: $after) {
        edges { node { ...ParticipantFields } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`,
  [ParticipantFields],
);

export const SpaceEventsSubscription = graphql(`
  subscription SpaceEvents($id: ID!) {
    spaceEvents(spaceId: $id) {
      __typename
      ... on ReactionsSent { reactions { emoji count participant { id } } }
      ... on ParticipantLeft { removed participant { id } }
      ... on SpaceStateChanged { state }
      ... on CaptionSegment { participant { id } text final degraded }
    }
  }
`);
