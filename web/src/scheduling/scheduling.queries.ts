import { graphql } from '../api/graphql.ts';

// Fields are inline rather than in a shared fragment: the server's cost limit (graphql-armor)
// charges fragment spreads again at their depth.
export const UpcomingSpacesQuery = graphql(`
  query UpcomingSpaces {
    spaces(state: SCHEDULED, first: 12) {
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
          host { id handle displayName avatarUrl viewerIsFollowing }
        }
      }
    }
  }
`);

export const ScheduledSpaceQuery = graphql(`
  query ScheduledSpace($id: ID!) {
    space(id: $id) {
      id
      title
      topics
      state
      scheduledStart
      reminderCount
      viewerHasReminder
      calendarUrl
      shareUrl
      host { id handle displayName avatarUrl viewerIsFollowing }
    }
  }
`);

export const ScheduleSpaceMutation = graphql(`
  mutation ScheduleSpace($input: ScheduleSpaceInput!) {
    scheduleSpace(input: $input) {
      __typename
      ... on Error { message }
      ... on NotEnoughFollowers { required current missing }
      ... on InvalidInput { issues { path message } }
      ... on MutationScheduleSpaceSuccess { space { id } }
    }
  }
`);

export const UpdateScheduledSpaceMutation = graphql(`
  mutation UpdateScheduledSpace($spaceId: ID!, $input: UpdateScheduledSpaceInput!) {
    updateScheduledSpace(spaceId: $spaceId, input: $input) {
      __typename
      ... on Error { message }
      ... on InvalidInput { issues { path message } }
      ... on MutationUpdateScheduledSpaceSuccess { space { id } }
    }
  }
`);

export const CancelScheduledSpaceMutation = graphql(`
  mutation CancelScheduledSpace($spaceId: ID!) {
    cancelScheduledSpace(spaceId: $spaceId) {
      __typename
      ... on Error { message }
      ... on MutationCancelScheduledSpaceSuccess { space { id state } }
    }
  }
`);

export const StartScheduledSpaceMutation = graphql(`
  mutation StartScheduledSpace($spaceId: ID!, $record: Boolean) {
    startScheduledSpace(spaceId: $spaceId, record: $record) {
      __typename
      ... on Error { message }
      ... on MutationStartScheduledSpaceSuccess { space { id state } }
    }
  }
`);

export const SetReminderMutation = graphql(`
  mutation SetReminder($spaceId: ID!) {
    setReminder(spaceId: $spaceId) {
      __typename
      ... on Error { message }
      ... on MutationSetReminderSuccess { space { id reminderCount viewerHasReminder } }
    }
  }
`);

export const RemoveReminderMutation = graphql(`
  mutation RemoveReminder($spaceId: ID!) {
    removeReminder(spaceId: $spaceId) {
      __typename
      ... on Error { message }
      ... on MutationRemoveReminderSuccess { space { id reminderCount viewerHasReminder } }
    }
  }
`);

export const ScheduledSpaceEvents = graphql(`
  subscription ScheduledSpaceEvents($id: ID!) {
    spaceEvents(spaceId: $id) {
      __typename
      ... on SpaceStateChanged { state }
    }
  }
`);
