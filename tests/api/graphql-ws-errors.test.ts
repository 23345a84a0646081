import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 1, minFollowersTicketed: 1 } });
});
afterAll(() => t?.stop());
afterEach(() => {
  vi.restoreAllMocks();
});

type Outcome = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** Runs one operation and resolves with its errors, whether they came as `error` or in `next`. */
function outcome(client: Client, query: string, variables: Record<string, unknown> = {}) {
  return new Promise<Outcome>((resolve, reject) => {
    let result: Outcome = {};
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          result = value as Outcome;
        },
        error: (error) => {
          if (Array.isArray(error)) resolve({ errors: error });
          else reject(new Error(`the socket failed: ${JSON.stringify(error)}`));
        },
        complete: () => resolve(result),
      },
    );
  });
}

async function watchersReach(spaceId: string, count: number) {
  for (let i = 0; i < 200 && t.app.bus.watchers('space-events', spaceId) !== count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(t.app.bus.watchers('space-events', spaceId)).toBe(count);
}

const SPACE_EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      ... on ListenersChanged { joined { user { handle } } }
    }
  }
`;

const HEAVY_NODES = /* GraphQL */ `
  query ($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on User { handle followers { edges { node { handle displayName createdAt } } } }
    }
  }
`;

describe('graphql-ws', () => {
  it('answers each refused or failing operation with its own error and keeps the socket', async () => {
    const { space, spaceGlobalId, host } = await startSpace(t, 'Kept alive');
    const viewer = await t.createUser('viewer');
    const listener = await t.createUser('listener');
    const client = wsClient(t.url, viewer.credentials);
    let closed = 0;
    client.on('closed', () => {
      closed++;
    });
    const events = collect<{ spaceEvents: { __typename: string } }>(client, SPACE_EVENTS, {
      spaceId: spaceGlobalId,
    });
    await watchersReach(space.id, 1);

    const overCost = await outcome(client, HEAVY_NODES, {
      ids: Array.from({ length: 100 }, () => host.globalId),
    });
    const malformed = await outcome(client, '{ nodes(ids: [');
    const badVariable = await outcome(client, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [{ not: 'an id' }],
    });
    // A socket's viewer is looked up on its first operation, then reused for a while: the
    // lookup fails on a second socket's first operation.
    const second = wsClient(t.url, viewer.credentials);
    vi.spyOn(t.app.services.apiTokens, 'authenticate').mockRejectedValueOnce(
      new Error('database unreachable'),
    );
    const contextFailure = await outcome(second, '{ reactionEmojis }');
    const fine = await outcome(second, '{ reactionEmojis }');

    expect(overCost.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED' });
    expect(malformed.errors?.[0]?.message).toMatch(/Syntax Error/);
    expect(badVariable.errors?.[0]?.message).toMatch(/\$ids/);
    expect(contextFailure.errors).toEqual([
      expect.objectContaining({
        message: 'Unexpected error.',
        extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR' }),
      }),
    ]);
    expect(fine.errors).toBeUndefined();

    await t.app.services.spaces.join(listener.id, space.id);
    await events.until((results) =>
      results.some((result) => result.data?.spaceEvents.__typename === 'ListenersChanged'),
    );
    expect(events.failure).toBeUndefined();
    expect(closed).toBe(0);
    await client.dispose();
    await second.dispose();
  });

  it('refuses too many ids with an error for that operation', async () => {
    const user = await t.createUser('many');
    const client = wsClient(t.url, user.credentials);

    const result = await outcome(client, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: Array.from({ length: 101 }, () => user.globalId),
    });
    const after = await outcome(client, '{ reactionEmojis }');

    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_ITEMS' });
    expect(after.errors).toBeUndefined();
    await client.dispose();
  });
});
