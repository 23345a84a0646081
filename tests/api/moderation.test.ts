import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const REMOVE = /* GraphQL */ `
  mutation ($spaceId: ID!, $userId: ID!) {
    removeParticipant(spaceId: $spaceId, userId: $userId) {
      __typename
      ... on MutationRemoveParticipantSuccess { participant { present removed } }
      ... on NotAllowed { action }
    }
  }
`;

const BLOCK = /* GraphQL */ `
  mutation ($userId: ID!) {
    blockUser(userId: $userId) {
      __typename
      ... on MutationBlockUserSuccess { user { handle } }
      ... on InvalidInput { issues { path message } }
    }
  }
`;

const REACT = /* GraphQL */ `
  mutation ($spaceId: ID!, $emoji: String!) {
    react(spaceId: $spaceId, emoji: $emoji) {
      __typename
      ... on MutationReactSuccess { reaction { emoji participant { user { handle } } } }
      ... on InvalidInput { issues { path message } }
      ... on NotAllowed { action }
    }
  }
`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 5, minFollowersTicketed: 10 } });
});
afterAll(() => t?.stop());

const presentIn = (spaceId: string, userId: string) =>
  t.app.prisma.participant.count({ where: { spaceId, userId, leftAt: null } });

describe('Mutation.removeParticipant', () => {
  it('lets a co-host remove a speaker, who is out and marked removed', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.cohost.gql(REMOVE, {
      spaceId: cast.spaceGlobalId,
      userId: cast.speaker.globalId,
    });
    expect(result.data?.['removeParticipant']).toEqual({
      __typename: 'MutationRemoveParticipantSuccess',
      participant: { present: false, removed: true },
    });
    expect(await presentIn(cast.spaceId, cast.speaker.id)).toBe(0);
  });

  it('refuses a speaker removing a listener', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.speaker.gql(REMOVE, {
      spaceId: cast.spaceGlobalId,
      userId: cast.listener.globalId,
    });
    expect(result.data?.['removeParticipant']).toMatchObject({ __typename: 'NotAllowed' });
    expect(await presentIn(cast.spaceId, cast.listener.id)).toBe(1);
  });

  it('refuses a co-host removing the host', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.cohost.gql(REMOVE, {
      spaceId: cast.spaceGlobalId,
      userId: cast.host.globalId,
    });
    expect(result.data?.['removeParticipant']).toMatchObject({ __typename: 'NotAllowed' });
  });
});

describe('Mutation.blockUser', () => {
  it("removes the blocked user from the blocker's live space", async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.host.gql(BLOCK, { userId: cast.listener.globalId });
    expect(result.data?.['blockUser']).toEqual({
      __typename: 'MutationBlockUserSuccess',
      user: { handle: cast.listener.handle },
    });
    expect(await presentIn(cast.spaceId, cast.listener.id)).toBe(0);
  });

  it('refuses blocking yourself', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.host.gql(BLOCK, { userId: cast.host.globalId });
    expect(result.data?.['blockUser']).toEqual({
      __typename: 'InvalidInput',
      issues: [{ path: 'userId', message: 'you cannot block yourself' }],
    });
  });
});

describe('Mutation.unblockUser', () => {
  it('lets the unblocked user join again', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.moderation.blockUser(cast.host.id, cast.outsider.id);
    await cast.host.gql('mutation ($userId: ID!) { unblockUser(userId: $userId) { __typename } }', {
      userId: cast.outsider.globalId,
    });
    const joined = await cast.outsider.gql(
      'mutation ($spaceId: ID!) { joinSpace(spaceId: $spaceId) { __typename } }',
      { spaceId: cast.spaceGlobalId },
    );
    expect(joined.data?.['joinSpace']).toEqual({ __typename: 'MutationJoinSpaceSuccess' });
  });
});

describe('Mutation.react', () => {
  it('accepts a reaction from a listener', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.listener.gql(REACT, { spaceId: cast.spaceGlobalId, emoji: '🔥' });
    expect(result.data?.['react']).toEqual({
      __typename: 'MutationReactSuccess',
      reaction: { emoji: '🔥', participant: { user: { handle: cast.listener.handle } } },
    });
  });

  it('refuses an emoji outside the reaction set', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.listener.gql(REACT, { spaceId: cast.spaceGlobalId, emoji: '💩' });
    expect(result.data?.['react']).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ path: 'emoji' }],
    });
  });

  it('refuses someone who is not in the space', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.outsider.gql(REACT, { spaceId: cast.spaceGlobalId, emoji: '👏' });
    expect(result.data?.['react']).toMatchObject({ __typename: 'NotAllowed' });
  });
});
