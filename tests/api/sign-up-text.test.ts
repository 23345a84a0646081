import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountMaker, signUp } from '../helpers/accounts.ts';
import { invisibleOnly } from '../helpers/nasty-strings.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

/** better-auth's routes store names and handles too: the same text rules as the GraphQL API. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

const newAccount = accountMaker('text');

async function updateUser(cookie: string, body: object) {
  const response = await fetch(`${t.url}/api/auth/update-user`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url, cookie },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/auth/sign-up/email', () => {
  it.each([
    ['NUL', 'Ada\u0000'],
    ['a lone surrogate', 'Ada \uD83D'],
    ['a C1 control', 'Ada\u009B'],
    ['only zero-width characters', invisibleOnly],
  ])('a name with %s yields 400 INVALID_INPUT naming it, and no account', async (_, name) => {
    const account = { ...newAccount(), name };
    const { response, body } = await signUp(t.url, account);
    expect(response.status).toBe(400);
    expect(body).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^name: /),
    });
    expect(await t.app.prisma.user.count({ where: { email: account.email } })).toBe(0);
  });

  it('stores an NFD name in NFC', async () => {
    const account = { ...newAccount(), name: 'Zoe\u0308 Cafe\u0301' };
    const { response } = await signUp(t.url, account);
    expect(response.status).toBe(200);
    const user = await t.app.prisma.user.findUniqueOrThrow({ where: { email: account.email } });
    expect(user.name).toBe('Zoë Café');
  });
});

describe('POST /api/auth/update-user', () => {
  it('refuses a name with NUL or only zero-width characters, and a new handle, with 400 INVALID_INPUT', async () => {
    const account = newAccount();
    const { cookie } = await signUp(t.url, account);
    for (const body of [{ name: 'Ada\u0000' }, { name: invisibleOnly }, { handle: 'taken_over' }]) {
      const result = await updateUser(cookie, body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body).toMatchObject({ code: 'INVALID_INPUT' });
    }
    const user = await t.app.prisma.user.findUniqueOrThrow({ where: { email: account.email } });
    expect({ name: user.name, handle: user.handle }).toEqual({
      name: account.name,
      handle: account.handle,
    });
  });

  it('stores a new NFD name in NFC', async () => {
    const account = newAccount();
    const { cookie } = await signUp(t.url, account);
    expect((await updateUser(cookie, { name: 'Rene\u0301e' })).status).toBe(200);
    const user = await t.app.prisma.user.findUniqueOrThrow({ where: { email: account.email } });
    expect(user.name).toBe('Renée');
  });
});
