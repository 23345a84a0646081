import { randomUUID } from 'node:crypto';
import type { GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { schema } from '../../server/schema.ts';
import { type Credentials, collect, wsClient } from '../helpers/graphql-client.ts';
import { lineBreak, neverAccepted, otherText, refusedText } from '../helpers/nasty-strings.ts';
import { liveSpaceWithCast, type SpaceCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import {
  type Fillers,
  operationWith,
  type TextArgument,
  textArguments,
} from '../helpers/text-arguments.ts';

/**
 * Every string argument of every mutation and query, found by walking the served schema (a new
 * field is covered without a change here), given text that breaks naive servers: never a 5xx or a
 * masked error; refused text is an InvalidInput naming the argument, and changes nothing.
 */

const mutation = schema.getMutationType() as GraphQLObjectType;
const query = schema.getQueryType() as GraphQLObjectType;

let t: TestApp;
let cast: SpaceCast;
let fillers: Fillers;
beforeAll(async () => {
  t = await startTestApp({
    hosting: { minFollowers: 1, minFollowersTicketed: 1 },
    limits: { ...defaultConfig.limits, mutationsPerMinute: 100_000 },
  });
  cast = await liveSpaceWithCast(t);
  fillers = {
    ids: {
      spaceId: cast.spaceGlobalId,
      id: cast.spaceGlobalId,
      userId: cast.listener.globalId,
      toParticipantId: await t.participantId(cast.spaceId, cast.listener.id),
      // Well formed, so the text beside it is what gets checked.
      recordingId: toGlobalId('Recording', randomUUID()),
    },
    strings: {
      avatarUrl: 'https://example.com/me.png',
      currency: 'usd',
      displayName: 'Renamed',
      emoji: '👏',
      handle: cast.listener.handle,
      name: 'token',
      sdp: 'v=0',
      signal: '{}',
      title: 'A title',
    },
  };
});
afterAll(() => t?.stop());

type Reply = {
  status: number;
  data?: Record<string, { __typename?: string; issues?: { path: string; message: string }[] }>;
  errors?: { message: string; extensions?: { code?: string } }[];
};

async function post(
  root: GraphQLObjectType,
  argument: TextArgument,
  text: string,
  credentials: Credentials,
): Promise<Reply> {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${credentials.token}`,
    },
    body: JSON.stringify(operationWith(root, argument, text, fillers)),
  });
  return { status: response.status, ...((await response.json()) as Omit<Reply, 'status'>) };
}

/** Every row of every table, but the token use times every authenticated request writes. */
async function snapshot() {
  const { prisma } = t.app;
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
  );
  const rows: Record<string, unknown> = {};
  for (const { name } of tables) {
    rows[name] = await prisma.$queryRawUnsafe(
      `SELECT to_jsonb(t) - 'lastUsedAt' AS row FROM "${name}" t ORDER BY 1`,
    );
  }
  return rows;
}

function expectNoServerError(reply: Reply) {
  expect(reply.status).toBeLessThan(500);
  expect(reply.errors?.map((error) => error.extensions?.code) ?? []).not.toContain(
    'INTERNAL_SERVER_ERROR',
  );
}

const mutationArguments = textArguments(mutation);
const queryArguments = textArguments(query);

/** Every string in the database that NFC would change. */
function notNfc(value: unknown): string[] {
  if (typeof value === 'string') return value === value.normalize('NFC') ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(notNfc);
  if (value && typeof value === 'object') return Object.values(value).flatMap(notNfc);
  return [];
}

const refusedKinds = [...refusedText, lineBreak].map(([name]) => name);
const refusedByName = new Map([...refusedText, lineBreak]);

describe('every string argument of every mutation', () => {
  it.each(refusedKinds)(
    'text with %s yields InvalidInput naming the argument, and changes nothing',
    async (kind) => {
      expect(mutationArguments.map((argument) => argument.coordinate)).toEqual(
        expect.arrayContaining([
          'Mutation.createSpace(input.title)',
          'Mutation.createSpace(input.topics.0)',
          'Mutation.updateProfile(input.displayName)',
          'Mutation.markNotificationsRead(ids.0)',
          'Mutation.joinSpace(spaceId)',
        ]),
      );
      const text = refusedByName.get(kind) as string;
      const before = await snapshot();
      for (const argument of mutationArguments) {
        if (kind === lineBreak[0] && argument.multiline) continue;
        const reply = await post(mutation, argument, text, cast.host.credentials);
        expectNoServerError(reply);
        expect(reply.errors, argument.coordinate).toBeUndefined();
        const result = reply.data?.[argument.field];
        expect(result?.__typename, argument.coordinate).toBe('InvalidInput');
        expect(
          result?.issues?.map((issue) => issue.path),
          argument.coordinate,
        ).toContain(argument.issuePath);
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each(neverAccepted)('%s is accepted nowhere: a typed refusal everywhere', async (_, text) => {
    for (const argument of mutationArguments) {
      const reply = await post(mutation, argument, text, cast.host.credentials);
      expectNoServerError(reply);
      expect(reply.errors, argument.coordinate).toBeUndefined();
      expect(reply.data?.[argument.field]?.__typename, argument.coordinate).toMatch(
        /^(?!.*Success$)/,
      );
    }
  });

  it('10k-character, emoji, NFD, SQL- and HTML-looking text get a typed result (queries: no server error), and all text stored is NFC', async () => {
    for (const argument of mutationArguments) {
      for (const [name, text] of otherText) {
        const reply = await post(mutation, argument, text, cast.host.credentials);
        expectNoServerError(reply);
        expect(reply.errors, `${argument.coordinate}: ${name}`).toBeUndefined();
        expect(reply.data?.[argument.field]?.__typename, argument.coordinate).toEqual(
          expect.any(String),
        );
      }
    }
    for (const argument of queryArguments) {
      for (const [, text] of otherText) {
        expectNoServerError(await post(query, argument, text, cast.listener.credentials));
      }
    }
    expect(notNfc(await snapshot())).toEqual([]);
  });
});

describe('every string argument of every query', () => {
  it.each(refusedKinds)(
    'text with %s yields extensions.code InvalidInput naming the argument',
    async (kind) => {
      const text = refusedByName.get(kind) as string;
      for (const argument of queryArguments) {
        const reply = await post(query, argument, text, cast.listener.credentials);
        expectNoServerError(reply);
        expect(reply.errors?.[0]?.extensions?.code, argument.coordinate).toBe('InvalidInput');
        expect(reply.errors?.[0]?.message, argument.coordinate).toContain(
          `${argument.issuePath}: `,
        );
      }
    },
  );
});

describe('global ids holding bad text', () => {
  const encode = (text: string) => Buffer.from(text).toString('base64');
  const nulSpace = encode('Space:\u0000x');

  it('Mutation.joinSpace: a Space id whose inner id holds NUL yields InvalidInput naming spaceId', async () => {
    const before = await snapshot();
    const result = await cast.outsider.gql(
      'mutation ($id: ID!) { joinSpace(spaceId: $id) { __typename ... on InvalidInput { issues { path } } } }',
      { id: nulSpace },
    );
    expect(result.data?.['joinSpace']).toEqual({
      __typename: 'InvalidInput',
      issues: [{ path: 'spaceId' }],
    });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['Query.space', '{ space(id: $id) { id } }', nulSpace],
    ['Query.node', '{ node(id: $id) { id } }', nulSpace],
    ['Query.nodes', '{ nodes(ids: [$id]) { id } }', nulSpace],
  ])(
    '%s: the malformed id %j yields extensions.code InvalidInput',
    async (_field, selection, id) => {
      const result = await t.anonymous(`query ($id: ID!) ${selection}`, { id });
      expect(result.errors?.map((error) => error.extensions?.['code'])).toEqual(['InvalidInput']);
    },
  );

  // Relay's rule: an id that names nothing is null, malformed or not; only hostile text is refused.
  it.each([
    ['Query.node', '{ node(id: $id) { id } }', '%%%', { node: null }],
    ['Query.node', '{ node(id: $id) { id } }', encode('no type'), { node: null }],
    ['Query.nodes', '{ nodes(ids: [$id]) { id } }', '%%%', { nodes: [null] }],
  ])('%s: the malformed id %j is null, without an error', async (_field, selection, id, data) => {
    const result = await t.anonymous(`query ($id: ID!) ${selection}`, { id });
    expect(result).toEqual({ data });
  });

  it.each(['.ics', '/transcript.txt'])(
    'GET /spaces/<id>%s: a Space id whose inner id holds NUL answers 404',
    async (suffix) => {
      const response = await fetch(`${t.url}/spaces/${encodeURIComponent(nulSpace)}${suffix}`);
      expect(response.status).toBe(404);
    },
  );

  it('Subscription.spaceEvents: a Space id whose inner id holds NUL fails the subscription with InvalidInput', async () => {
    const client = wsClient(t.url);
    const events = collect(
      client,
      'subscription ($id: ID!) { spaceEvents(spaceId: $id) { __typename } }',
      {
        id: nulSpace,
      },
    );
    await events.until((results) => results.some((result) => result.errors));
    expect(events.results[0]?.errors?.[0]?.extensions?.['code']).toBe('InvalidInput');
    await client.dispose();
  });
});
