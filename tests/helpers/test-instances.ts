import { Redis } from 'ioredis';
import { type App, type AppOptions, buildApp } from '../../server/app.ts';
import { type AppConfig, defaultConfig } from '../../server/config.ts';
import { unhurriedPresence } from './test-app.ts';
import { freshDatabase, testAuthSecret } from './test-database.ts';

export const testRedisUrl = process.env['TEST_REDIS_URL'];

/** Two instances need a Redis and one database both can reach: the PostgreSQL server. */
export const canRunTwoInstances =
  Boolean(testRedisUrl) && process.env['AMPHI_TEST_DATABASE'] === 'postgres';

/**
 * Two Amphi instances sharing a fresh PostgreSQL database and the Redis at TEST_REDIS_URL (or
 * `overrides.redisUrl`), as behind a load balancer, plus a Redis client for checking
 * subscriptions. `beforeSecond` runs once the first instance is up, before the second is built.
 */
export async function startTwoInstances(
  overrides: Partial<Omit<AppConfig, 'database'>> = {},
  options: AppOptions = {},
  beforeSecond?: (first: App) => Promise<void>,
) {
  const database = await freshDatabase();
  const config: AppConfig = {
    ...defaultConfig,
    graphiql: false,
    auth: { ...defaultConfig.auth, secret: testAuthSecret },
    hosting: { minFollowers: 0, minFollowersTicketed: 0 },
    ...unhurriedPresence,
    ...overrides,
    port: 0,
    host: '127.0.0.1',
    database: database.config,
    redisUrl: overrides.redisUrl ?? testRedisUrl,
  };
  const first = await buildApp(config, options);
  const firstUrl = (await first.start()).url;
  await beforeSecond?.(first);
  const second = await buildApp(config, options);
  const apps: [App, App] = [first, second];
  const urls = [firstUrl, (await second.start()).url];
  const redis = new Redis(config.redisUrl ?? '', { disableClientInfo: true });
  return {
    apps,
    urls,
    redis,
    async stop() {
      for (const app of apps) await app.stop();
      redis.disconnect();
      await database.drop();
    },
  };
}
