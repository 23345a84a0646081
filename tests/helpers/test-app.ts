import { randomUUID } from 'node:crypto';
import { type AppOptions, buildApp } from '../../server/app.ts';
import { type AppConfig, defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { type Credentials, type GraphQLResponse, gql } from './graphql-client.ts';
import { freshDatabase, testAuthSecret } from './test-database.ts';

export type TestUser = {
  id: string;
  /** The Relay id the API takes. */
  globalId: string;
  handle: string;
  credentials: Credentials;
  /** Runs an operation over HTTP as this user. */
  gql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<Data>>;
};

/**
 * Tests of other features put people in spaces through the services, with no connection to hold
 * their place, and a busy machine can take longer than the 30 s default over one test. Tests of
 * presence set their own timeout.
 */
export const unhurriedPresence = {
  presence: { timeoutMs: 10 * 60_000 },
} satisfies Partial<AppConfig>;

export type TestAppOverrides = Partial<Omit<AppConfig, 'database'>>;

export type TestAppOptions = AppOptions & {
  /** Keep PGlite on disk so `restart()` finds the data again (PostgreSQL always keeps it). */
  restartable?: boolean;
};

/** Starts a real Amphi (own fresh database, port 0) for one test file. */
export async function startTestApp(
  overrides: TestAppOverrides = {},
  { restartable = false, ...options }: TestAppOptions = {},
) {
  const database = await freshDatabase({ persistent: restartable });
  const config: AppConfig = {
    ...defaultConfig,
    graphiql: false,
    auth: { ...defaultConfig.auth, secret: testAuthSecret },
    // Tests run many clients from one loopback address; request-budget tests turn it on.
    requestRate: null,
    ...unhurriedPresence,
    ...overrides,
    port: 0,
    host: '127.0.0.1',
    database: database.config,
  };
  let app = await buildApp(config, options);
  let { url } = await app.start();
  let handles = 0;

  /** Creates a user with an API token (and, quickly, any number of followers). */
  async function createUser(
    name = `user${++handles}`,
    { followers = 0 }: { followers?: number } = {},
  ): Promise<TestUser> {
    const handle = `${name}_${randomUUID().slice(0, 6)}`.toLowerCase();
    const user = await app.prisma.user.create({
      data: { id: randomUUID(), handle, name, email: `${handle}@test.amphi.invalid` },
    });
    if (followers > 0) await addFollowers(user.id, followers);
    const { secret } = await app.services.apiTokens.create(user.id, 'tests');
    const credentials = { token: secret };
    return {
      id: user.id,
      globalId: toGlobalId('User', user.id),
      handle,
      credentials,
      gql: (query, variables) => gql(url, query, variables, credentials),
    };
  }

  async function addFollowers(userId: string, count: number) {
    const fans = Array.from({ length: count }, () => {
      const id = randomUUID();
      return { id, handle: `fan_${id.slice(0, 13)}`, name: 'Fan', email: `${id}@fans.invalid` };
    });
    await app.prisma.user.createMany({ data: fans });
    await app.prisma.follow.createMany({
      data: fans.map((fan) => ({ followerId: fan.id, followeeId: userId })),
    });
  }

  return {
    get app() {
      return app;
    },
    get url() {
      return url;
    },
    createUser,
    addFollowers,
    /** The Relay id of a user's place in a space, as the API and the media module name it. */
    async participantId(spaceId: string, userId: string) {
      const participant = await app.prisma.participant.findUniqueOrThrow({
        where: { spaceId_userId: { spaceId, userId } },
      });
      return toGlobalId('Participant', participant.id);
    },
    /** Runs an operation over HTTP without credentials. */
    anonymous: <Data = Record<string, unknown>>(
      query: string,
      variables?: Record<string, unknown>,
    ) => gql<Data>(url, query, variables),
    /** Stops the server and builds a new one on the same database, as a restart would. */
    async restart() {
      await app.stop();
      app = await buildApp(config, options);
      ({ url } = await app.start());
    },
    async stop() {
      await app.stop();
      await database.drop();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
