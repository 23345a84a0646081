import { graphql } from '../api/graphql.ts';

// Fields are inline rather than in a shared fragment: the server's cost limit (graphql-armor)
// charges fragment spreads again at their depth, and this query is already deep.
export const HomeQuery = graphql(`
  query Home {
    live: spaces(state: LIVE, first: 20) {
      edges {
        node {
          id
          title
          topics
          participantCount
          mediaMode
          ticketing { priceMinor currency seatsLeft }
          host { id handle displayName avatarUrl viewerIsFollowing }
          stage { id role user { id handle displayName avatarUrl } }
        }
      }
    }
    iceServers { urls username credential }
  }
`);
