import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { InvalidInput, NotFound } from '../errors.ts';

export function createFollowService(prisma: PrismaClient) {
  async function requireUser(userId: string) {
    const user = await prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFound('User', userId);
    return user;
  }

  return {
    /** Following is idempotent: following twice leaves one edge. */
    async follow(followerId: string, followeeId: string) {
      if (followerId === followeeId) throw InvalidInput.of('userId', 'you cannot follow yourself');
      const followee = await requireUser(followeeId);
      await prisma.follow.upsert({
        where: { followerId_followeeId: { followerId, followeeId } },
        create: { followerId, followeeId },
        update: {},
      });
      return followee;
    },

    async unfollow(followerId: string, followeeId: string) {
      const followee = await requireUser(followeeId);
      await prisma.follow.deleteMany({ where: { followerId, followeeId } });
      return followee;
    },

    followerCount: (userId: string) => prisma.follow.count({ where: { followeeId: userId } }),

    async isFollowing(followerId: string, followeeId: string) {
      const edge = await prisma.follow.findUnique({
        where: { followerId_followeeId: { followerId, followeeId } },
      });
      return edge !== null;
    },
  };
}

export type FollowService = ReturnType<typeof createFollowService>;
