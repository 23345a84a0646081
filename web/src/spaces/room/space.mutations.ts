import { graphql } from '../../api/graphql.ts';

/**
 * Joins, and in a mesh delivers the offers made for the stage (stage-offers.ts) before answering:
 * fields resolve in the order asked, so the offers go first. In a relay space the relay's offer
 * comes back instead.
 */
export const JoinSpace = graphql(`
  mutation JoinSpace($spaceId: ID!, $offers: [MeshOfferInput!]!) {
    joinSpace(spaceId: $spaceId) {
      __typename
      ... on Error { message }
      ... on MutationJoinSpaceSuccess {
        meshOffers(offers: $offers) {
          ... on MutationJoinSpaceSuccessMeshOffersSuccess { delivered }
        }
        participant { id role muted }
        relay { sessionId sdp iceServers { urls username credential } }
        iceServers { urls username credential }
      }
    }
  }
`);

export const LeaveSpace = graphql(`
  mutation LeaveSpace($spaceId: ID!) {
    leaveSpace(spaceId: $spaceId) { __typename ... on Error { message } }
  }
`);

export const EndSpace = graphql(`
  mutation EndSpace($spaceId: ID!) {
    endSpace(spaceId: $spaceId) { __typename ... on Error { message } }
  }
`);

export const RaiseHand = graphql(`
  mutation RaiseHand($spaceId: ID!) {
    raiseHand(spaceId: $spaceId) { __typename ... on Error { message } }
  }
`);

export const LowerHand = graphql(`
  mutation LowerHand($spaceId: ID!, $userId: ID) {
    lowerHand(spaceId: $spaceId, userId: $userId) { __typename ... on Error { message } }
  }
`);

export const AcceptInvitation = graphql(`
  mutation AcceptInvitation($spaceId: ID!) {
    acceptSpeakerInvitation(spaceId: $spaceId) { __typename ... on Error { message } }
  }
`);

export const AcceptCoHostInvitation = graphql(`
  mutation AcceptCoHostInvitation($spaceId: ID!) {
    acceptCoHostInvitation(spaceId: $spaceId) { __typename ... on Error { message } }
  }
`);

export const DeclineInvitation = graphql(`
  mutation DeclineInvitation($spaceId: ID!) {
    declineInvitation(spaceId: $spaceId) { __typename ... on Error { message } }
  }
`);

export const SetMuted = graphql(`
  mutation SetMuted($spaceId: ID!, $muted: Boolean!) {
    setMuted(spaceId: $spaceId, muted: $muted) { __typename ... on Error { message } }
  }
`);

export const React = graphql(`
  mutation React($spaceId: ID!, $emoji: String!) {
    react(spaceId: $spaceId, emoji: $emoji) { __typename ... on Error { message } }
  }
`);

export const InviteToSpeak = graphql(`
  mutation InviteToSpeak($spaceId: ID!, $userId: ID!) {
    inviteToSpeak(spaceId: $spaceId, userId: $userId) { __typename ... on Error { message } }
  }
`);

export const AddCoHost = graphql(`
  mutation AddCoHost($spaceId: ID!, $userId: ID!) {
    addCoHost(spaceId: $spaceId, userId: $userId) { __typename ... on Error { message } }
  }
`);

export const RemoveCoHost = graphql(`
  mutation RemoveCoHost($spaceId: ID!, $userId: ID!) {
    removeCoHost(spaceId: $spaceId, userId: $userId) { __typename ... on Error { message } }
  }
`);

export const MuteSpeaker = graphql(`
  mutation MuteSpeaker($spaceId: ID!, $userId: ID!) {
    muteSpeaker(spaceId: $spaceId, userId: $userId) { __typename ... on Error { message } }
  }
`);

export const MoveToListener = graphql(`
  mutation MoveToListener($spaceId: ID!, $userId: ID!) {
    moveToListener(spaceId: $spaceId, userId: $userId) { __typename ... on Error { message } }
  }
`);

export const RemoveParticipant = graphql(`
  mutation RemoveParticipant($spaceId: ID!, $userId: ID!) {
    removeParticipant(spaceId: $spaceId, userId: $userId) { __typename ... on Error { message } }
  }
`);

export const BlockUser = graphql(`
  mutation BlockUser($userId: ID!) {
    blockUser(userId: $userId) { __typename ... on Error { message } }
  }
`);
