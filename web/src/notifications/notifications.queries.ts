import { graphql } from '../api/graphql.ts';

// Lean on purpose: the server's cost limit charges this depth steeply.
export const NotificationsQuery = graphql(`
  query Notifications {
    viewer {
      notifications(first: 50) {
        edges {
          node {
            id
            kind
            createdAt
            readAt
            space { id title state host { displayName } }
          }
        }
      }
    }
  }
`);

export const UnreadCountQuery = graphql(`
  query UnreadNotificationCount {
    viewer { unreadNotificationCount }
  }
`);

export const NotificationsSubscription = graphql(`
  subscription LiveNotifications {
    notifications {
      id
      kind
      createdAt
      readAt
      space { id title state host { displayName } }
    }
  }
`);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids) {
      __typename
      ... on Error { message }
      ... on MutationMarkNotificationsReadSuccess { markedCount }
    }
  }
`);
