import { brandWithType, type OutputType, type SchemaTypes } from '@pothos/core';
import DataLoader from 'dataloader';
import type {
  Clip,
  Notification,
  Participant,
  PrismaClient,
  Recording,
  Space,
  User,
} from '../../prisma/generated/client/client.ts';

type Row = { id: string };

/**
 * Batches every load of one type made in the same tick into one `id IN (...)` query and answers
 * each id in the order asked, null where no row matched. Rows are branded with their GraphQL type
 * so the `Node` interface resolves them.
 */
function byId<Record extends Row>(
  typename: string,
  find: (ids: string[]) => Promise<Record[]>,
): DataLoader<string, Record | null> {
  return new DataLoader(async (ids) => {
    const rows = await find([...ids]);
    // Pothos types a type's name against the builder, which this file does not import.
    for (const row of rows) brandWithType(row, typename as OutputType<SchemaTypes>);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

type SpaceRef = { id: string; hostId: string };
/** Whether `userId` (null: a guest) may hear a space: SpaceService.mayHear. */
export type MayHear = (space: SpaceRef, userId: string | null) => Promise<boolean>;

/**
 * The rows whose space the viewer may hear, without the space they were read with: a ticketed
 * space's recording and clips are for its ticket holders and host team, as their replay is.
 */
async function audible<Row>(
  rows: { row: Row; space: SpaceRef }[],
  mayHear: MayHear,
  viewerId: string | null,
): Promise<Row[]> {
  const verdicts = new Map<string, Promise<boolean>>();
  const hears = await Promise.all(
    rows.map(({ space }) => {
      if (!verdicts.has(space.id)) verdicts.set(space.id, mayHear(space, viewerId));
      return verdicts.get(space.id)!;
    }),
  );
  return rows.filter((_, i) => hears[i]).map(({ row }) => row);
}

const spaceRef = { select: { id: true, hostId: true } } as const;

/**
 * Per-operation loaders by database id. They cache for the whole operation, so they serve queries
 * only: a subscription's context lives as long as the subscription and would answer stale rows.
 */
export function createLoaders(prisma: PrismaClient, viewerId: string | null, mayHear: MayHear) {
  return {
    user: byId<User>('User', (ids) => prisma.user.findMany({ where: { id: { in: ids } } })),
    space: byId<Space>('Space', (ids) => prisma.space.findMany({ where: { id: { in: ids } } })),
    participant: byId<Participant>('Participant', (ids) =>
      prisma.participant.findMany({ where: { id: { in: ids } } }),
    ),
    // Someone else's notification is as absent as one that never existed.
    notification: byId<Notification>('Notification', async (ids) =>
      viewerId
        ? prisma.notification.findMany({ where: { id: { in: ids }, userId: viewerId } })
        : [],
    ),
    recording: byId<Recording>('Recording', async (ids) => {
      const rows = await prisma.recording.findMany({
        where: { id: { in: ids } },
        include: { space: spaceRef },
      });
      return audible(
        rows.map(({ space, ...row }) => ({ row, space })),
        mayHear,
        viewerId,
      );
    }),
    clip: byId<Clip>('Clip', async (ids) => {
      const rows = await prisma.clip.findMany({
        where: { id: { in: ids } },
        include: { recording: { select: { space: spaceRef } } },
      });
      return audible(
        rows.map(({ recording, ...row }) => ({ row, space: recording.space })),
        mayHear,
        viewerId,
      );
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
