/**
 * Sets up the crowd. A host signs up (better-auth's REST route) and starts a live space
 * (createSpace); the first listeners sign up the same way and use their session cookies, as
 * browsers do. Every sign-up costs the server one scrypt hash (~0.1 s of a core, ~1 s on this
 * busy host), so the rest of the crowd are API-token clients whose rows (a user and a token
 * hash, what sign-up and `createApiToken` store) are written before the server starts, through
 * Amphi's own database module, which applies its migrations first.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DatabaseConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { cookiesOf, send } from '../hostile/http-client.ts';
import { politePost } from '../hostile/seed.ts';
import { agentOf } from './addresses.ts';

const createSpace = `mutation ($input: CreateSpaceInput!) {
  createSpace(input: $input) {
    __typename
    ... on MutationCreateSpaceSuccess { space { id } }
    ... on Error { message }
  }
}`;

export type Listener = {
  index: number;
  handle: string;
  /** A session cookie or an `Authorization: Bearer` API token. */
  credentials: Record<string, string>;
};
export type Crowd = { spaceId: string; listeners: Listener[]; signUpSeconds: number };

const handleOf = (tag: string, index: number) => `crowd_${tag}_${index}`;

/** Writes users and API tokens for listeners `from`..`to - 1` straight into the database. */
export async function writeTokenListeners(
  database: DatabaseConfig,
  tag: string,
  from: number,
  to: number,
): Promise<Listener[]> {
  const db = await openDatabase(database);
  try {
    const listeners: Listener[] = [];
    const users = [];
    const tokens = [];
    for (let index = from; index < to; index++) {
      const handle = handleOf(tag, index);
      const id = randomUUID();
      const secret = `amphi_${randomBytes(32).toString('base64url')}`;
      users.push({ id, handle, name: handle, email: `${handle}@bench.invalid` });
      tokens.push({
        userId: id,
        name: 'crowd bench',
        tokenHash: createHash('sha256').update(secret).digest('hex'),
      });
      listeners.push({ index, handle, credentials: { authorization: `Bearer ${secret}` } });
    }
    await db.prisma.user.createMany({ data: users });
    await db.prisma.apiToken.createMany({ data: tokens });
    return listeners;
  } finally {
    await db.close();
  }
}

async function signUp(baseUrl: string, handle: string, index: number | undefined) {
  const answer = await politePost(
    `${baseUrl}/api/auth/sign-up/email`,
    { origin: baseUrl },
    {
      email: `${handle}@bench.invalid`,
      password: randomBytes(12).toString('base64url'),
      name: handle,
      handle,
    },
    index === undefined ? undefined : agentOf(index),
  );
  if (answer.status !== 200) {
    throw new Error(`sign-up ${handle}: ${answer.status} ${answer.body.toString().slice(0, 200)}`);
  }
  return cookiesOf(answer);
}

/**
 * Each listener asks who it is once (`viewer`), as a client does on start: it checks every
 * credential, and a token's first use (which records `lastUsedAt`) is not timed as a join.
 */
async function checkCredentials(baseUrl: string, listeners: Listener[]) {
  let next = 0;
  const lane = async () => {
    while (next < listeners.length) {
      const listener = listeners[next++];
      if (!listener) return;
      const answer = await send({
        url: `${baseUrl}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: baseUrl, ...listener.credentials },
        body: JSON.stringify({ query: '{ viewer { user { handle } } }' }),
        timeoutMs: 60_000,
        agent: agentOf(listener.index),
      });
      if (!answer.body.toString().includes(`"handle":"${listener.handle}"`)) {
        throw new Error(
          `${listener.handle} is not signed in: ${answer.body.toString().slice(0, 200)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
}

/**
 * The host, the space and the first `signUps` listeners through the public API; `tokenListeners`
 * (written by `writeTokenListeners` before the server started) join them.
 */
export async function seedCrowd(
  baseUrl: string,
  tag: string,
  signUps: number,
  tokenListeners: Listener[],
): Promise<Crowd> {
  const hostCookie = await signUp(baseUrl, `crowd_${tag}_host`, undefined);
  const created = await politePost(
    `${baseUrl}/graphql`,
    { origin: baseUrl, cookie: hostCookie },
    { query: createSpace, variables: { input: { title: 'Crowd bench', topics: ['Bench'] } } },
  );
  const result = JSON.parse(created.body.toString()) as {
    data?: { createSpace?: { space?: { id: string } } };
  };
  const spaceId = result.data?.createSpace?.space?.id;
  if (!spaceId) throw new Error(`createSpace: ${created.body.toString().slice(0, 200)}`);

  const started = performance.now();
  const signedUp: Listener[] = [];
  for (let index = 0; index < signUps; index++) {
    const handle = handleOf(tag, index);
    const cookie = await signUp(baseUrl, handle, index);
    signedUp.push({ index, handle, credentials: { cookie } });
  }
  const signUpSeconds = (performance.now() - started) / 1000;
  const listeners = [...signedUp, ...tokenListeners];
  await checkCredentials(baseUrl, listeners);
  return { spaceId, listeners, signUpSeconds };
}
