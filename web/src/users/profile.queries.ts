import { graphql } from '../api/graphql.ts';

export const ProfileQuery = graphql(`
  query Profile($handle: String!) {
    user(handle: $handle) {
      id
      handle
      displayName
      avatarUrl
      followerCount
      followingCount
      viewerIsFollowing
      hosting { eligible followers requiredFollowers missingFollowers }
      upcomingSpaces(first: 10) {
        edges {
          node {
            id
            title
            topics
            scheduledStart
            reminderCount
            viewerHasReminder
            calendarUrl
            ticketing { priceMinor currency seatsLeft }
            host { id handle displayName avatarUrl }
          }
        }
      }
    }
  }
`);

export const FollowMutation = graphql(`
  mutation Follow($userId: ID!) {
    follow(userId: $userId) {
      __typename
      ... on Error { message }
      ... on MutationFollowSuccess { user { id followerCount viewerIsFollowing } }
    }
  }
`);

export const UnfollowMutation = graphql(`
  mutation Unfollow($userId: ID!) {
    unfollow(userId: $userId) {
      __typename
      ... on Error { message }
      ... on MutationUnfollowSuccess { user { id followerCount viewerIsFollowing } }
    }
  }
`);

export const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
      ... on Error { message }
      ... on InvalidInput { issues { path message } }
      ... on MutationUpdateProfileSuccess { user { id displayName avatarUrl } }
    }
  }
`);
