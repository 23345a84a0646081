import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/app.ts';
import { type AppConfig, defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { channelOf } from '../../server/pubsub.ts';
import type { Credentials } from '../helpers/graphql-client.ts';
import { startInstanceProcess } from '../helpers/instance-process.ts';
import {
  type Connection,
  connectToSpace,
  leftEvent,
  watchersOn,
} from '../helpers/presence-connections.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { freshDatabase, testAuthSecret } from '../helpers/test-database.ts';
import { canRunTwoInstances, testRedisUrl } from '../helpers/test-instances.ts';

// Long enough for a loaded machine to connect someone before their window closes.
const TIMEOUT_SECONDS = 3;
const presence = { timeoutMs: TIMEOUT_SECONDS * 1000 };
const open: Connection[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((connection) => connection.client.dispose()));
});

const placeIn = (app: App, spaceId: string, userId: string) =>
  app.prisma.participant.findUniqueOrThrow({ where: { spaceId_userId: { spaceId, userId } } });

describe('one embedded instance restarting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(
      { hosting: { minFollowers: 0, minFollowersTicketed: 0 }, presence },
      { restartable: true },
    );
  });
  afterAll(() => t?.stop());

  it('gives everyone who was in a space one timeout to reconnect after a restart', async () => {
    const { host, space } = await startSpace(t, 'Restarted');
    const target = { id: space.id, globalId: toGlobalId('Space', space.id) };
    const connect = (credentials: Credentials) =>
      connectToSpace(t.url, credentials, target, watchersOn(t.app, space.id));
    open.push(await connect(host.credentials));
    const [back, gone] = [await t.createUser('back'), await t.createUser('gone')];
    for (const user of [back, gone]) {
      open.push(await connect(user.credentials));
      await t.app.services.spaces.join(user.id, space.id);
    }

    await t.restart();
    const hostView = await connect(host.credentials);
    open.push(hostView, await connect(back.credentials));
    const goneId = await t.participantId(space.id, gone.id);
    await hostView.events.until((results) =>
      results.some((result) => result.data && leftEvent(goneId)(result.data.spaceEvents)),
    );
    await t.app.services.presence.tick();
    await t.app.services.presence.tick();

    expect((await placeIn(t.app, space.id, back.id)).leftAt).toBeNull();
    expect((await placeIn(t.app, space.id, host.id)).leftAt).toBeNull();
  });
});

describe.skipIf(!canRunTwoInstances)('two instances on Redis', () => {
  let app: App;
  let url: string;
  let other: Awaited<ReturnType<typeof startInstanceProcess>>;
  let dropDatabase: () => Promise<void>;

  // A second server process starts slowly on a busy machine.
  beforeAll(async () => {
    const database = await freshDatabase();
    dropDatabase = database.drop;
    if (database.config.kind !== 'postgres') throw new Error('two instances need PostgreSQL');
    const config: AppConfig = {
      ...defaultConfig,
      graphiql: false,
      auth: { ...defaultConfig.auth, secret: testAuthSecret },
      hosting: { minFollowers: 0, minFollowersTicketed: 0 },
      presence,
      port: 0,
      host: '127.0.0.1',
      database: database.config,
      redisUrl: testRedisUrl,
    };
    app = await buildApp(config);
    ({ url } = await app.start());
    other = await startInstanceProcess({
      DATABASE_URL: database.config.url,
      REDIS_URL: testRedisUrl ?? '',
      HOST_MIN_FOLLOWERS: '0',
      PRESENCE_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
    });
  }, 240_000);
  afterAll(async () => {
    await other?.crash();
    await app?.stop();
    await dropDatabase?.();
  });

  async function user(name: string): Promise<{ id: string; credentials: Credentials }> {
    const id = randomUUID();
    const handle = `${name}_${id.slice(0, 6)}`;
    await app.prisma.user.create({ data: { id, handle, name, email: `${handle}@x.invalid` } });
    const { secret } = await app.services.apiTokens.create(id, 'tests');
    return { id, credentials: { token: secret } };
  }

  it("keeps the other instance's people while it lives, and lets them go when it crashes", async () => {
    const [host, there, idle] = [await user('host'), await user('there'), await user('idle')];
    const space = await app.services.spaces.start(host.id, { title: 'Two instances' });
    const target = { id: space.id, globalId: toGlobalId('Space', space.id) };
    const hostView = await connectToSpace(url, host.credentials, target, watchersOn(app, space.id));
    open.push(hostView);
    // Each instance subscribes to the space's Redis channel once its first subscription runs.
    const probe = new Redis(testRedisUrl ?? '', { disableClientInfo: true });
    const instancesWatching = async () => {
      const [, count] = (await probe.pubsub('NUMSUB', channelOf('space-events', space.id))) as [
        string,
        number,
      ];
      return count;
    };
    open.push(await connectToSpace(other.url, there.credentials, target, instancesWatching));
    for (const { id } of [there, idle]) await app.services.spaces.join(id, space.id);
    const participantOf = async (userId: string) =>
      toGlobalId('Participant', (await placeIn(app, space.id, userId)).id);
    const [thereId, idleId] = [await participantOf(there.id), await participantOf(idle.id)];

    // `idle` never connected: once they have left, a whole window has passed for `there` too.
    const idleLeft = leftEvent(idleId);
    await hostView.events.until((results) =>
      results.some((result) => result.data && idleLeft(result.data.spaceEvents)),
    );
    await app.services.presence.tick();
    await app.services.presence.tick();
    expect((await placeIn(app, space.id, there.id)).leftAt).toBeNull();

    await other.crash();
    const thereLeft = leftEvent(thereId);
    await hostView.events.until((results) =>
      results.some((result) => result.data && thereLeft(result.data.spaceEvents)),
    );
    expect((await placeIn(app, space.id, host.id)).leftAt).toBeNull();
    probe.disconnect();
  });
});
