import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../helpers/graphql-client.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const FOLLOW = /* GraphQL */ `
  mutation ($userId: ID!) {
    follow(userId: $userId) {
      __typename
      ... on MutationFollowSuccess { user { handle followerCount viewerIsFollowing } }
      ... on InvalidInput { issues { path message } }
      ... on NotFound { resource }
    }
  }
`;

const UNFOLLOW = /* GraphQL */ `
  mutation ($userId: ID!) {
    unfollow(userId: $userId) {
      __typename
      ... on MutationUnfollowSuccess { user { followerCount viewerIsFollowing } }
    }
  }
`;

const PROFILE = /* GraphQL */ `
  query ($handle: String!, $first: Int, $after: String) {
    user(handle: $handle) {
      followerCount
      followingCount
      hosting { eligible requiredFollowers followers missingFollowers }
      followers(first: $first, after: $after) {
        edges { node { handle } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

type FollowersPage = {
  user: {
    followers: {
      edges: { node: { handle: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('Mutation.follow', () => {
  it('follows once, however often it is called', async () => {
    const [fan, star] = [await t.createUser('fan'), await t.createUser('star')];
    await fan.gql(FOLLOW, { userId: star.globalId });
    const again = await fan.gql(FOLLOW, { userId: star.globalId });
    expect(again.data?.['follow']).toEqual({
      __typename: 'MutationFollowSuccess',
      user: { handle: star.handle, followerCount: 1, viewerIsFollowing: true },
    });
  });

  it('refuses following yourself', async () => {
    const me = await t.createUser('me');
    const result = await me.gql(FOLLOW, { userId: me.globalId });
    expect(result.data?.['follow']).toEqual({
      __typename: 'InvalidInput',
      issues: [{ path: 'userId', message: 'you cannot follow yourself' }],
    });
  });

  it('says NotFound for a well-formed id of nobody', async () => {
    const me = await t.createUser('me');
    const nobody = Buffer.from('User:00000000-0000-0000-0000-000000000000').toString('base64');
    const result = await me.gql(FOLLOW, { userId: nobody });
    expect(result.data?.['follow']).toEqual({ __typename: 'NotFound', resource: 'User' });
  });
});

describe('Mutation.unfollow', () => {
  it('removes the edge', async () => {
    const [fan, star] = [await t.createUser('fan'), await t.createUser('star')];
    await t.app.services.follows.follow(fan.id, star.id);
    const result = await fan.gql(UNFOLLOW, { userId: star.globalId });
    expect(result.data?.['unfollow']).toEqual({
      __typename: 'MutationUnfollowSuccess',
      user: { followerCount: 0, viewerIsFollowing: false },
    });
  });
});

describe('User.followers', () => {
  it('pages through followers with cursors, each exactly once', async () => {
    const star = await t.createUser('star');
    const fans = [];
    for (let i = 0; i < 5; i++) {
      const fan = await t.createUser(`fan${i}`);
      await t.app.services.follows.follow(fan.id, star.id);
      fans.push(fan.handle);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: GraphQLResponse<FollowersPage> = await t.anonymous<FollowersPage>(PROFILE, {
        handle: star.handle,
        first: 2,
        after,
      });
      const followers = page.data?.user.followers;
      seen.push(...(followers?.edges.map((edge) => edge.node.handle) ?? []));
      if (!followers?.pageInfo.hasNextPage) break;
      after = followers.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(fans.sort());
  });
});

describe('User.hosting', () => {
  it('tells a user with 12 followers that 588 more are needed to host', async () => {
    const user = await t.createUser('small', { followers: 12 });
    const result = await t.anonymous(PROFILE, { handle: user.handle, first: 1 });
    expect(result.data?.['user']).toMatchObject({
      followerCount: 12,
      hosting: { eligible: false, requiredFollowers: 600, followers: 12, missingFollowers: 588 },
    });
  });
});
