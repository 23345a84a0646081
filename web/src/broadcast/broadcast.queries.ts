import { graphql } from '../api/graphql.ts';

export const BroadcastQuery = graphql(`
  query SpaceBroadcast($id: ID!) {
    space(id: $id) { id broadcast { url state latencySeconds recommended } }
  }
`);
