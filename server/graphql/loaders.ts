import { brandWithType, type OutputType, type SchemaTypes } from '@pothos/core';
import DataLoader from 'dataloader';
import type {
  Notification,
  Participant,
  PrismaClient,
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

/**
 * Per-operation loaders by database id. They cache for the whole operation, so they serve queries
 * only: a subscription's context lives as long as the subscription and would answer stale rows.
 */
export function createLoaders(prisma: PrismaClient, viewerId: string | null) {
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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
