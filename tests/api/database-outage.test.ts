import { randomUUID } from 'node:crypto';
import { execute, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../server/context.ts';
import { createLoaders } from '../../server/graphql/loaders.ts';
import { toGlobalId } from '../../server/ids.ts';
import { schema } from '../../server/schema.ts';
import { postFrom } from '../helpers/from-address.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

type Body = { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] };

describe('while the database is down', () => {
  let t: TestApp;
  let fan: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    fan = await t.createUser('fan');
    // Closes PGlite, or ends the PostgreSQL pool: every query after this fails to connect.
    await t.app.sql.close();
  });
  afterAll(async () => {
    await t?.stop().catch(() => {});
  });

  it('Query.spaces answers UNAVAILABLE with retry advice, HTTP 503 and Retry-After', async () => {
    const response = await postFrom('127.0.0.1', `${t.url}/graphql`, {
      query: '{ spaces(state: LIVE) { edges { node { id } } } }',
    });
    const body = response.body as Body;
    expect(response.status).toBe(503);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'UNAVAILABLE',
      retryAfterSeconds: Number(response.headers['retry-after']),
    });
  });

  it('a signed-in Mutation.follow answers UNAVAILABLE, not INTERNAL_SERVER_ERROR', async () => {
    const result = await fan.gql('mutation { follow(userId: "x") { __typename } }');
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAVAILABLE']);
  });

  it('a mutation whose own work meets the outage answers its Unavailable member', async () => {
    const contextValue: Context = {
      viewer: { userId: fan.id, via: 'token' },
      prisma: t.app.prisma,
      services: t.app.services,
      clientIp: '127.0.0.1',
      clientKey: `user:${fan.id}`,
      transport: 'http',
      loaders: createLoaders(t.app.prisma, fan.id, t.app.services.spaces.mayHear),
    };
    const result = await execute({
      schema,
      document: parse(
        `mutation ($userId: ID!) {
          follow(userId: $userId) { __typename ... on Unavailable { retryAfterSeconds message } }
        }`,
      ),
      variableValues: { userId: toGlobalId('User', randomUUID()) },
      contextValue,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.['follow']).toMatchObject({
      __typename: 'Unavailable',
      retryAfterSeconds: expect.any(Number),
    });
  });

  it('sign-in and sign-up answer 503 UNAVAILABLE with Retry-After, not a bare 500', async () => {
    const attempts = [
      postFrom('127.0.0.1', `${t.url}/api/auth/sign-in/email`, {
        email: 'someone@example.invalid',
        password: 'a-password-1',
      }),
      postFrom('127.0.0.1', `${t.url}/api/auth/sign-up/email`, {
        email: 'newcomer@example.invalid',
        password: 'a-password-1',
        name: 'Newcomer',
        handle: 'newcomer',
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(503);
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(response.body).toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: retryAfter });
    }
  });
});
