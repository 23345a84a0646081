import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

const SPACES = /* GraphQL */ `
  query ($first: Int) { spaces(first: $first) { edges { node { title } } } }
`;

describe('Mutation.markNotificationsRead(ids:)', () => {
  const MARK = /* GraphQL */ `
    mutation ($ids: [ID!]) { markNotificationsRead(ids: $ids) { __typename } }
  `;

  it('refuses more than 100 ids with TOO_MANY_ITEMS', async () => {
    const user = await t.createUser();
    const ids = Array.from({ length: 101 }, () => toGlobalId('Notification', randomUUID()));

    const result = await user.gql(MARK, { ids });

    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_ITEMS',
      argument: 'Mutation.markNotificationsRead(ids:)',
      max: 100,
    });
  });
});

describe('Connection page sizes (Query.spaces(first:))', () => {
  it('refuses a page over 100 with TOO_MANY_ITEMS, from a literal or a variable', async () => {
    const literal = await t.anonymous('{ spaces(first: 101) { edges { node { title } } } }');
    const variable = await t.anonymous(SPACES, { first: 1_000_000 });

    for (const result of [literal, variable]) {
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'TOO_MANY_ITEMS',
        argument: 'Query.spaces(first:)',
        max: 100,
      });
    }
  });

  it('refuses a negative page with BAD_USER_INPUT, not an internal error', async () => {
    const result = await t.anonymous(SPACES, { first: -1 });

    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'Query.spaces(first:)',
    });
  });

  it('serves pages up to 100', async () => {
    const result = await t.anonymous(SPACES, { first: 100 });

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ spaces: { edges: [] } });
  });

  it('counts page sizes given as variables toward the cost limit', async () => {
    const NESTED = /* GraphQL */ `
      query ($first: Int) {
        spaces(first: $first) {
          edges { node { participants(first: $first) { edges { node { user { handle } } } } } }
        }
      }
    `;

    expect((await t.anonymous(NESTED, { first: 2 })).errors).toBeUndefined();
    const result = await t.anonymous(NESTED, { first: 100 });
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED' });
  });
});
