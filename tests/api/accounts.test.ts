import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountMaker, signIn, signOut, signUp } from '../helpers/accounts.ts';
import { gql, wsClient, wsRequest } from '../helpers/graphql-client.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const VIEWER = '{ viewer { email user { handle displayName avatarUrl } } }';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

const newAccount = accountMaker('person', 'Person');

describe('sign-up, sign-in and sign-out (/api/auth)', () => {
  it('signs up with a handle and an httpOnly session cookie that the API accepts', async () => {
    const account = { ...newAccount(), image: 'https://example.com/me.png' };
    const { response, cookie } = await signUp(t.url, account);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().join()).toMatch(/HttpOnly/i);
    const viewer = await gql(t.url, VIEWER, {}, { cookie });
    expect(viewer.data?.['viewer']).toEqual({
      email: account.email,
      user: {
        handle: account.handle.toLowerCase(),
        displayName: account.name,
        avatarUrl: account.image,
      },
    });
  });

  it('refuses a malformed handle and a taken handle, creating no account', async () => {
    const bad = await signUp(t.url, { ...newAccount(), handle: 'no spaces!' });
    expect(bad.response.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_INPUT' });

    const first = newAccount();
    await signUp(t.url, first);
    const taken = await signUp(t.url, { ...newAccount(), handle: first.handle.toUpperCase() });
    expect(taken.response.status).toBe(422);
    expect(taken.body).toMatchObject({ code: 'HANDLE_TAKEN' });
    expect(await t.app.prisma.user.count({ where: { handle: first.handle.toLowerCase() } })).toBe(
      1,
    );
  });

  it('signs out: the old cookie no longer identifies anyone; signing in again works', async () => {
    const account = newAccount();
    const { cookie } = await signUp(t.url, account);
    expect((await signOut(t.url, cookie)).status).toBe(200);
    expect((await gql(t.url, VIEWER, {}, { cookie })).data?.['viewer']).toBeNull();

    const wrong = await signIn(t.url, { email: account.email, password: 'wrong password' });
    expect(wrong.response.status).toBe(401);
    const again = await signIn(t.url, { email: account.email, password: account.password });
    expect((await gql(t.url, VIEWER, {}, { cookie: again.cookie })).data?.['viewer']).toMatchObject(
      {
        email: account.email,
      },
    );
  });

  it('carries the session cookie over the graphql-ws upgrade', async () => {
    const account = newAccount();
    const { cookie } = await signUp(t.url, account);
    const client = wsClient(t.url, { cookie });
    const viewer = await wsRequest(client, VIEWER);
    expect(viewer.data?.['viewer']).toMatchObject({ email: account.email });
    await client.dispose();
  });
});

describe('Mutation.createApiToken', () => {
  const CREATE = /* GraphQL */ `
    mutation ($name: String!) {
      createApiToken(name: $name) {
        __typename
        ... on MutationCreateApiTokenSuccess { created { secret token { id name } } }
        ... on InvalidInput { issues { path message } }
      }
    }
  `;

  it('gives a secret, shown once, that authenticates over HTTP and WebSocket', async () => {
    const account = newAccount();
    const { cookie } = await signUp(t.url, account);
    const created = await gql<{
      createApiToken: { created: { secret: string; token: { id: string } } };
    }>(t.url, CREATE, { name: 'my bot' }, { cookie });
    const secret = created.data?.createApiToken.created.secret ?? '';
    expect(secret).toMatch(/^amphi_/);
    expect((await gql(t.url, VIEWER, {}, { token: secret })).data?.['viewer']).toMatchObject({
      email: account.email,
    });
    const client = wsClient(t.url, { token: secret });
    expect((await wsRequest(client, VIEWER)).data?.['viewer']).toMatchObject({
      email: account.email,
    });
    await client.dispose();
    const listed = await gql(t.url, '{ viewer { apiTokens { name } } }', {}, { token: secret });
    expect(listed.data?.['viewer']).toEqual({ apiTokens: [{ name: 'my bot' }] });
    expect(JSON.stringify(await t.app.prisma.apiToken.findMany())).not.toContain(secret);
  });

  it('refuses an empty name', async () => {
    const { cookie } = await signUp(t.url, newAccount());
    const created = await gql(t.url, CREATE, { name: '   ' }, { cookie });
    expect(created.data?.['createApiToken']).toMatchObject({ __typename: 'InvalidInput' });
  });

  it('refuses a caller who is not signed in', async () => {
    const created = await t.anonymous(CREATE, { name: 'x' });
    expect(created.data?.['createApiToken']).toEqual({ __typename: 'NotAuthenticated' });
  });
});

describe('Mutation.revokeApiToken', () => {
  it('makes the token worthless at once', async () => {
    const user = await t.createUser('revoker');
    const [token] = await t.app.services.apiTokens.list(user.id);
    const revoked = await user.gql(
      'mutation ($id: ID!) { revokeApiToken(id: $id) { __typename } }',
      { id: token?.id },
    );
    expect(revoked.data?.['revokeApiToken']).toEqual({
      __typename: 'MutationRevokeApiTokenSuccess',
    });
    expect((await user.gql(VIEWER)).data?.['viewer']).toBeNull();
    const mutation = await user.gql('mutation { createApiToken(name: "x") { __typename } }');
    expect(mutation.data?.['createApiToken']).toEqual({ __typename: 'NotAuthenticated' });
  });

  it("says NotFound for someone else's token", async () => {
    const owner = await t.createUser('owner');
    const thief = await t.createUser('thief');
    const [token] = await t.app.services.apiTokens.list(owner.id);
    const result = await thief.gql(
      'mutation ($id: ID!) { revokeApiToken(id: $id) { __typename } }',
      { id: token?.id },
    );
    expect(result.data?.['revokeApiToken']).toEqual({ __typename: 'NotFound' });
    expect((await owner.gql(VIEWER)).data?.['viewer']).not.toBeNull();
  });
});

describe('Mutation.updateProfile', () => {
  const UPDATE = /* GraphQL */ `
    mutation ($input: UpdateProfileInput!) {
      updateProfile(input: $input) {
        __typename
        ... on MutationUpdateProfileSuccess { user { handle displayName avatarUrl } }
        ... on InvalidInput { issues { path message } }
      }
    }
  `;

  it('changes the display name and avatar, keeping the handle', async () => {
    const user = await t.createUser('profiled');
    const result = await user.gql(UPDATE, {
      input: { displayName: 'Ada L.', avatarUrl: 'https://example.com/ada.png' },
    });
    expect(result.data?.['updateProfile']).toEqual({
      __typename: 'MutationUpdateProfileSuccess',
      user: {
        handle: user.handle,
        displayName: 'Ada L.',
        avatarUrl: 'https://example.com/ada.png',
      },
    });
    const cleared = await user.gql(UPDATE, { input: { avatarUrl: '' } });
    expect(cleared.data?.['updateProfile']).toMatchObject({
      user: { displayName: 'Ada L.', avatarUrl: null },
    });
  });

  it('refuses a script URL and an empty name, changing nothing', async () => {
    const user = await t.createUser('careful');
    const result = await user.gql(UPDATE, {
      input: { displayName: ' ', avatarUrl: 'javascript:alert(1)' },
    });
    expect(result.data?.['updateProfile']).toMatchObject({
      __typename: 'InvalidInput',
      issues: [{ path: 'displayName' }, { path: 'avatarUrl' }],
    });
    const after = await t.app.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ name: 'careful', image: null });
  });
});
