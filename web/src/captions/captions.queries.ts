import { graphql } from '../api/graphql.ts';

export const SetSpaceCaptions = graphql(`
  mutation SetSpaceCaptions($spaceId: ID!, $on: Boolean!) {
    setSpaceCaptions(spaceId: $spaceId, on: $on) {
      __typename
      ... on Error { message }
    }
  }
`);

export const TranscriptQuery = graphql(`
  query Transcript($id: ID!, $first: Int!, $after: String) {
    space(id: $id) {
      id
      transcript(first: $first, after: $after) {
        edges { node { text startMs endMs speaker { id user { displayName } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);
