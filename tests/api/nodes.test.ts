import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

const NODES = /* GraphQL */ `
  query ($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
      ... on User { handle }
      ... on Space { title }
      ... on Participant { role }
      ... on Notification { kind }
    }
  }
`;

type NodesResult = { nodes: ({ __typename: string; id: string } | null)[] };

let t: TestApp;
let host: TestUser;
let fan: TestUser;
let ids: { user: string; space: string; participant: string; fansNotification: string };

beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 1, minFollowersTicketed: 1 } });
  const started = await startSpace(t, 'Mixed');
  host = started.host;
  fan = await t.createUser('fan');
  const participant = await t.app.prisma.participant.findFirstOrThrow({
    where: { spaceId: started.space.id, userId: host.id },
  });
  const notification = await t.app.prisma.notification.create({
    data: {
      userId: fan.id,
      spaceId: started.space.id,
      kind: 'SPACE_STARTED',
      createdAt: new Date(),
    },
  });
  ids = {
    user: host.globalId,
    space: started.spaceGlobalId,
    participant: toGlobalId('Participant', participant.id),
    fansNotification: toGlobalId('Notification', notification.id),
  };
});
afterAll(() => t?.stop());
afterEach(() => {
  vi.restoreAllMocks();
});

const unknownUser = () => toGlobalId('User', randomUUID());
const kinds = (result: { data?: NodesResult }) =>
  result.data?.nodes.map((node) => node?.__typename ?? null);

/** Counts the model reads made while `run` runs, by model and method. */
async function countReads(run: () => Promise<unknown>) {
  const { prisma } = t.app;
  const spies = {
    'user.findMany': vi.spyOn(prisma.user, 'findMany'),
    'space.findMany': vi.spyOn(prisma.space, 'findMany'),
    'participant.findMany': vi.spyOn(prisma.participant, 'findMany'),
    'notification.findMany': vi.spyOn(prisma.notification, 'findMany'),
    'user.findUnique': vi.spyOn(prisma.user, 'findUnique'),
    'user.findUniqueOrThrow': vi.spyOn(prisma.user, 'findUniqueOrThrow'),
    'space.findUniqueOrThrow': vi.spyOn(prisma.space, 'findUniqueOrThrow'),
  };
  await run();
  return Object.fromEntries(
    Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]),
  );
}

describe('Query.nodes', () => {
  it('answers mixed types in the order asked, null for unknown, malformed and hidden ids', async () => {
    const asked = [
      ids.user,
      ids.space,
      ids.participant,
      ids.fansNotification,
      unknownUser(),
      'not a global id',
      toGlobalId('Ticket', randomUUID()),
      ids.space,
      ids.user,
    ];
    const result = await host.gql<NodesResult>(NODES, { ids: asked });

    expect(result.errors).toBeUndefined();
    expect(result.data?.nodes).toEqual([
      { __typename: 'User', id: ids.user, handle: host.handle },
      { __typename: 'Space', id: ids.space, title: 'Mixed' },
      { __typename: 'Participant', id: ids.participant, role: 'HOST' },
      null,
      null,
      null,
      null,
      { __typename: 'Space', id: ids.space, title: 'Mixed' },
      { __typename: 'User', id: ids.user, handle: host.handle },
    ]);
  });

  it('gives a notification to its owner only, and anonymous callers the public objects', async () => {
    const asked = [ids.fansNotification, ids.user, ids.space];

    expect(kinds(await fan.gql<NodesResult>(NODES, { ids: asked }))).toEqual([
      'Notification',
      'User',
      'Space',
    ]);
    const anonymous = await t.anonymous<NodesResult>(NODES, { ids: asked });
    expect(anonymous.errors).toBeUndefined();
    expect(kinds(anonymous)).toEqual([null, 'User', 'Space']);
  });

  it('loads each type with one batched query', async () => {
    const others = await Promise.all([t.createUser('a'), t.createUser('b'), t.createUser('c')]);
    const asked = [ids.space, ...others.map((user) => user.globalId), ids.user, unknownUser()];

    const reads = await countReads(() => t.anonymous(NODES, { ids: asked }));

    expect(reads).toEqual({
      'user.findMany': 1,
      'space.findMany': 1,
      'participant.findMany': 0,
      'notification.findMany': 0,
      'user.findUnique': 0,
      'user.findUniqueOrThrow': 0,
      'space.findUniqueOrThrow': 0,
    });
  });

  it('refuses more than 100 ids with TOO_MANY_ITEMS before loading anything', async () => {
    const asked = Array.from({ length: 101 }, () => ids.user);
    let result: Awaited<ReturnType<typeof t.anonymous>> | undefined;

    const reads = await countReads(async () => {
      result = await t.anonymous(NODES, { ids: asked });
    });

    expect(result?.data ?? null).toBeNull();
    expect(result?.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_ITEMS',
      argument: 'Query.nodes(ids:)',
      max: 100,
    });
    expect(reads['user.findMany']).toBe(0);
  });

  it('accepts 100 ids', async () => {
    const asked = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? ids.user : ids.space));
    const result = await t.anonymous<NodesResult>(NODES, { ids: asked });

    expect(result.errors).toBeUndefined();
    expect(result.data?.nodes).toHaveLength(100);
    expect(result.data?.nodes[99]).toMatchObject({ __typename: 'Space' });
  });

  it('counts every id toward the cost limit: what one id may ask for, 100 may not', async () => {
    const HEAVY = /* GraphQL */ `
      query ($ids: [ID!]!) {
        nodes(ids: $ids) {
          ... on User { handle followers { edges { node { handle displayName createdAt } } } }
        }
      }
    `;
    const one = await t.anonymous(HEAVY, { ids: [ids.user] });
    expect(one.errors).toBeUndefined();

    const many = await t.anonymous(HEAVY, { ids: Array.from({ length: 100 }, () => ids.user) });
    expect(many.data ?? null).toBeNull();
    expect(many.errors?.[0]?.extensions).toMatchObject({
      code: 'COST_LIMIT_EXCEEDED',
      maxCost: t.app.config.limits.maxCost,
    });
  });
});

describe('Query.node', () => {
  const NODE = /* GraphQL */ `query ($id: ID!) { node(id: $id) { __typename id } }`;

  it('is null for a malformed id or one of a type that is not a node', async () => {
    for (const id of ['not a global id', toGlobalId('Ticket', randomUUID()), '']) {
      const result = await t.anonymous(NODE, { id });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ node: null });
    }
  });

  it('loads through the same batch when an operation asks for several', async () => {
    const other = await t.createUser('other');
    const query = /* GraphQL */ `
      query ($a: ID!, $b: ID!, $c: ID!) {
        a: node(id: $a) { id }
        b: node(id: $b) { id }
        c: nodes(ids: [$a, $c]) { id }
      }
    `;
    let result: Awaited<ReturnType<typeof t.anonymous>> | undefined;

    const reads = await countReads(async () => {
      result = await t.anonymous(query, { a: ids.user, b: other.globalId, c: unknownUser() });
    });

    expect(result?.data).toEqual({
      a: { id: ids.user },
      b: { id: other.globalId },
      c: [{ id: ids.user }, null],
    });
    expect(reads['user.findMany']).toBe(1);
    expect(reads['user.findUniqueOrThrow']).toBe(0);
  });
});
