import type { PrismaClient } from '../prisma/generated/client/client.ts';
import type { Services } from './services.ts';
import type { Auth } from './users/auth.ts';

export const demoPassword = 'amphi-demo-password';

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

/**
 * A small world to explore in GraphiQL: three people who can sign in (password
 * `amphi-demo-password`), enough followers for two of them to host, and one live space.
 */
export async function seedDemoData(prisma: PrismaClient, auth: Auth, services: Services) {
  const ids: Record<string, string> = {};
  for (const account of demoAccounts) {
    const { user } = await auth.api.signUpEmail({
      body: {
        email: `${account.handle}@demo.amphi.invalid`,
        password: demoPassword,
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
