import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { liveSpaceWithCast, type SpaceCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let cast: SpaceCast;
beforeAll(async () => {
  t = await startTestApp({
    hosting: { minFollowers: 1, minFollowersTicketed: 1 },
    limits: { ...defaultConfig.limits, mutationsPerMinute: 1000 },
  });
  cast = await liveSpaceWithCast(t);
});
afterAll(() => t?.stop());

/** Everything a bad request could have changed. */
async function snapshot() {
  const { prisma } = t.app;
  return {
    spaces: await prisma.space.findMany({ orderBy: { id: 'asc' } }),
    participants: await prisma.participant.findMany({ orderBy: { id: 'asc' } }),
    follows: await prisma.follow.count(),
    blocks: await prisma.block.count(),
  };
}

describe('malformed ids', () => {
  const JOIN = /* GraphQL */ `
    mutation ($spaceId: ID!) {
      joinSpace(spaceId: $spaceId) { __typename ... on InvalidInput { issues { path message } } }
    }
  `;

  it.each([
    ['not base64 at all', '%%%'],
    ['an id of another type', Buffer.from('User:123').toString('base64')],
    ['an empty id', ''],
    ['a type with no id', Buffer.from('Space:').toString('base64')],
  ])('%s yields InvalidInput naming the argument, and changes nothing', async (_, spaceId) => {
    const before = await snapshot();
    const result = await cast.outsider.gql(JOIN, { spaceId });
    expect(result.data?.['joinSpace']).toEqual({
      __typename: 'InvalidInput',
      issues: [{ path: 'spaceId', message: 'must be the id of a Space' }],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('a malformed id in a query argument yields an InvalidInput error code', async () => {
    const result = await t.anonymous('{ space(id: "nope") { title } }');
    expect(result.data?.['space']).toBeNull();
    expect(result.errors?.[0]).toMatchObject({
      message: 'id: must be the id of a Space',
      path: ['space'],
      extensions: { code: 'InvalidInput' },
    });
  });
});

describe('oversized and empty strings', () => {
  const CREATE = /* GraphQL */ `
    mutation ($input: CreateSpaceInput!) {
      createSpace(input: $input) { __typename ... on InvalidInput { issues { path message } } }
    }
  `;

  it.each([
    [{ title: '' }, [{ path: 'title', message: 'must not be empty' }]],
    [{ title: '   ' }, [{ path: 'title', message: 'must not be empty' }]],
    [{ title: 'x'.repeat(10_000) }, [{ path: 'title', message: 'must be at most 100 characters' }]],
    [
      { title: 'ok', topics: ['t'.repeat(31)] },
      [{ path: 'topics.0', message: 'must be at most 30 characters' }],
    ],
    [
      { title: 'ok', topics: ['Same', 'same'] },
      [{ path: 'topics', message: 'topics must be different' }],
    ],
  ])('%j yields InvalidInput and creates nothing', async (input, issues) => {
    const host = await t.createUser('host', { followers: 1 });
    const before = await snapshot();
    const result = await host.gql(CREATE, { input });
    expect(result.data?.['createSpace']).toEqual({ __typename: 'InvalidInput', issues });
    expect(await snapshot()).toEqual(before);
  });

  it('an oversized token name yields InvalidInput', async () => {
    const result = await cast.host.gql(
      'mutation ($name: String!) { createApiToken(name: $name) { __typename } }',
      { name: 'n'.repeat(61) },
    );
    expect(result.data?.['createApiToken']).toEqual({ __typename: 'InvalidInput' });
  });
});

describe('unknown enum values', () => {
  it('are refused by validation, naming the value, before anything runs', async () => {
    const result = await t.anonymous('{ spaces(state: PAUSED) { edges { node { title } } } }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toContain('PAUSED');
  });
});

describe('query shape limits', () => {
  it('refuses a query deeper than the limit', async () => {
    const deep =
      '{ spaces { edges { node { host { followers { edges { node { following { edges { node { handle } } } } } } } } } } }';
    const result = await t.anonymous(deep);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('refuses a query with too many aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: reactionEmojis`).join(' ');
    const result = await t.anonymous(`{ ${aliases} }`);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('refuses a mutation batch by aliases that would exceed the limit, running none of it', async () => {
    const before = await snapshot();
    const follows = Array.from(
      { length: 16 },
      (_, i) => `f${i}: follow(userId: "${cast.host.globalId}") { __typename }`,
    ).join(' ');
    const result = await cast.listener.gql(`mutation { ${follows} }`);
    expect(result.data).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it('does not suggest field names to a probing client', async () => {
    const result = await t.anonymous('{ spacez { title } }');
    expect(result.errors?.[0]?.message).not.toMatch(/did you mean/i);
  });
});

describe('rate limits', () => {
  it('turns away a user past the per-minute mutation limit with RATE_LIMITED', async () => {
    const limited = await startTestApp({
      hosting: { minFollowers: 1, minFollowersTicketed: 1 },
      limits: { ...defaultConfig.limits, mutationsPerMinute: 3 },
    });
    try {
      const fan = await limited.createUser('fan');
      const star = await limited.createUser('star');
      const follow = 'mutation ($userId: ID!) { follow(userId: $userId) { __typename } }';
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await fan.gql(follow, { userId: star.globalId }));
      expect(results.slice(0, 3).map((r) => r.data?.['follow'])).toEqual(
        Array(3).fill({ __typename: 'MutationFollowSuccess' }),
      );
      expect(results[3]?.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
      const other = await limited.createUser('other');
      const fresh = await other.gql(follow, { userId: star.globalId });
      expect(fresh.data?.['follow']).toEqual({ __typename: 'MutationFollowSuccess' });
    } finally {
      await limited.stop();
    }
  });
});
