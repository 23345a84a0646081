import { graphql } from '../../api/graphql.ts';
import { SpaceTicketingFields } from '../../tickets/tickets.queries.ts';

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

/**
 * The page's first read, beside its join (early-join.ts): whether the space is live yet and the
 * ticket gate opens, and its mode and stage, so that the audio starts from the join's answer
 * before the room is read (audio-before-read.ts).
 */
export const SpaceOpeningQuery = graphql(
  `
  query SpaceOpening($id: ID!) {
    space(id: $id) {
      ...SpaceTicketingFields
      mediaMode
      relayAudience
      stage { id role muted }
    }
  }
`,
  [SpaceTicketingFields],
);

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
      recording { id state }
      participantCount
      eventSequence
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

/** Every event carries what changed, so the room applies it without reading itself again. */
export const SpaceEventsSubscription = graphql(
  `
  subscription SpaceEvents($id: ID!) {
    spaceEvents(spaceId: $id) {
      __typename
      sequence
      ... on ParticipantJoined { participant { ...ParticipantFields } }
      ... on RoleChanged { participant { ...ParticipantFields } }
      ... on HandRaised { participant { ...ParticipantFields } }
      ... on HandLowered { participant { ...ParticipantFields } }
      ... on SpeakerInvited { participant { ...ParticipantFields } }
      ... on CoHostInvited { participant { ...ParticipantFields } }
      ... on InvitationDeclined { participant { ...ParticipantFields } }
      ... on MuteChanged { participant { ...ParticipantFields } }
      ... on ParticipantLeft { removed participant { id } }
      ... on ListenersChanged { joined { ...ParticipantFields } left { id } }
      ... on ParticipantCountChanged { participantCount }
      ... on MediaModeChanged { mode }
      ... on CaptionsChanged { on }
      ... on RecordingStarted { recording { id state } }
      ... on ReactionsSent { reactions { emoji count participant { id } } }
      ... on SpaceStateChanged { state }
      ... on CaptionSegment { participant { id } text final degraded }
    }
  }
`,
  [ParticipantFields],
);
