import { graphql } from '../../api/graphql.ts';

export const CreateSpaceMutation = graphql(`
  mutation CreateSpace($input: CreateSpaceInput!) {
    createSpace(input: $input) {
      __typename
      ... on Error { message }
      ... on NotEnoughFollowers { required current missing }
      ... on InvalidInput { issues { path message } }
      ... on MutationCreateSpaceSuccess { space { id } }
    }
  }
`);
