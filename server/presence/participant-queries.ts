import type { PrismaClient } from '../../prisma/generated/client/client.ts';

/** What presence reads of the database: who is in which live space. */
export function participantQueries(prisma: PrismaClient) {
  const inLiveSpace = { leftAt: null, space: { state: 'LIVE' as const } };
  return {
    participants: () =>
      prisma.participant.findMany({
        where: inLiveSpace,
        select: { spaceId: true, userId: true, joinedAt: true },
      }),
    participant: (spaceId: string, userId: string) =>
      prisma.participant.findFirst({ where: { spaceId, userId, ...inLiveSpace } }),
  };
}
