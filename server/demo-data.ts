import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { PrismaClient } from '../prisma/generated/client/client.ts';
import type { DatabaseConfig } from './config.ts';
import { keepSecret } from './kept-secret.ts';
import type { Services } from './services.ts';
import type { Auth } from './users/auth.ts';

export const DEMO_PASSWORD_FILE = 'demo-password';

const demoAccounts = [
  { handle: 'ada', name: 'Ada Lovelace', followers: 720 },
  { handle: 'grace', name: 'Grace Hopper', followers: 1050 },
  { handle: 'linus', name: 'Linus Pauling', followers: 12 },
] as const;

/** Gives `count` quiet demo users who follow `userId`; they have no password and cannot sign in. */
async function addFollowers(prisma: PrismaClient, userId: string, handle: string, count: number) {
  const followers = Array.from({ length: count }, (_, i) => ({
    id: `demo-${handle}-fan-${i}`,
    handle: `${handle}_fan_${i}`,
    name: `Fan ${i} of @${handle}`,
    email: `${handle}.fan.${i}@demo.amphi.invalid`,
  }));
  await prisma.user.createMany({ data: followers });
  await prisma.follow.createMany({
    data: followers.map((follower) => ({ followerId: follower.id, followeeId: userId })),
  });
}

/** Who can sign in to the demo world, and where the password is kept (embedded database only). */
export type DemoAccess = { emails: string[]; password: string; keptIn: string | undefined };

/**
 * A random password for the demo accounts: a known one would open them to anyone once the
 * server is reachable. Kept beside the embedded database, so it can be looked up later.
 */
export async function demoPassword(database: DatabaseConfig) {
  const generate = () => randomBytes(12).toString('base64url');
  if (database.kind !== 'pglite' || !database.dataDir) {
    return { password: generate(), keptIn: undefined };
  }
  const file = path.join(database.dataDir, DEMO_PASSWORD_FILE);
  return { password: (await keepSecret(file, generate)).value, keptIn: file };
}

/** Seeds the demo world into an empty database; null when there was data already. */
export async function seedDemoIfEmpty(
  prisma: PrismaClient,
  auth: Auth,
  services: Services,
  database: DatabaseConfig,
): Promise<DemoAccess | null> {
  if ((await prisma.user.count()) > 0) return null;
  const { password, keptIn } = await demoPassword(database);
  await seedDemoData(prisma, auth, services, password);
  return { emails: demoAccounts.map(demoEmail), password, keptIn };
}

const demoEmail = (account: { handle: string }) => `${account.handle}@demo.amphi.invalid`;

/**
 * A small world to explore in GraphiQL: three people who can sign in with `password`, enough
 * followers for two of them to host, and one live space.
 */
export async function seedDemoData(
  prisma: PrismaClient,
  auth: Auth,
  services: Services,
  password: string,
) {
  const ids: Record<string, string> = {};
  for (const account of demoAccounts) {
    const { user } = await auth.api.signUpEmail({
      body: {
        email: demoEmail(account),
        password,
        name: account.name,
        handle: account.handle,
      },
    });
    ids[account.handle] = user.id;
    await addFollowers(prisma, user.id, account.handle, account.followers);
  }
  const [ada, grace, linus] = [ids['ada'], ids['grace'], ids['linus']] as [string, string, string];
  await services.follows.follow(grace, ada);
  await services.follows.follow(linus, ada);
  const space = await services.spaces.start(ada, {
    title: 'Building live audio on the open web',
    topics: ['WebRTC', 'Open source'],
  });
  await services.spaces.join(grace, space.id);
  await services.stage.addCoHost(ada, space.id, grace);
  await services.stage.acceptCoHostInvitation(grace, space.id);
  await services.spaces.join(linus, space.id);
  await services.stage.raiseHand(linus, space.id);
  return { space, users: ids };
}
