import { BlockedByHost } from '../errors.ts';
import type { Tx } from './space-transaction.ts';

/** Refuses someone the host has blocked: they may not join, nor wait for, any of the host's spaces. */
export async function assertNotBlockedByHost(tx: Tx, hostId: string, userId: string) {
  const block = await tx.block.findUnique({
    where: { blockerId_blockedId: { blockerId: hostId, blockedId: userId } },
  });
  if (block) throw new BlockedByHost();
}
